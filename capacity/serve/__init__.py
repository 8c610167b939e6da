"""``capacity serve``: the what-if page, a local web server over the same pipeline.

- :mod:`capacity.serve.whatif`: the page's state, a what-if scenario file (``extends:`` the
  base, and only the changes), built and checked by the scenario reader;
- :mod:`capacity.serve.edits`: what a manager does with the mouse, as changes to that file;
- :mod:`capacity.serve.planning`: the one place the page plans, re-planning only the options
  a change affects, in a background thread;
- :mod:`capacity.serve.views`: the figures, charts and downloads, from the report code;
- :mod:`capacity.serve.app`: the web application (Starlette) and its safety checks.
"""
