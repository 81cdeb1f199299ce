"""Building and checking the dataset: YAML records -> validation -> SQLite.

The `policy-ledger` command (cli.py) is a thin layer over these modules.
"""
