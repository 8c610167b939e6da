"""The solver benchmark's own code: not part of the planner.

``benchmarks/solver.py`` races the planner (:mod:`capacity`) against its peers on
generated instances. What only that race needs lives here, beside the package
rather than in it:

- :mod:`capacity_bench.generator`: seeded synthetic hubs in the scenario format;
- :mod:`capacity_bench.lower_bound`: LP lower bounds on unmet demand (HiGHS via SciPy);
- :mod:`capacity_bench.pyjobshop_peer`: the same problem modelled with PyJobShop;
- :mod:`capacity_bench.progress`: each run's improving solutions, for time-to-best.

It is installed with the planner (setuptools cannot install a package only with
an extra), but its third-party needs, SciPy and PyJobShop, come only with the
``benchmark`` (and ``test``) extras and are imported only where used. The peer
and the progress recorder import ``ortools``: they are CP-SAT code of the
benchmark's, not of the product, whose rule is that only ``capacity.solver``
imports it.
"""
