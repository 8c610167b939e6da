"""Reports: one module per table; each returns DataFrames and never prints or solves."""
