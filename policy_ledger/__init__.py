"""Policy Ledger: a versioned JSON API over a curated dataset of government
actions on TikTok, ByteDance and other Chinese-owned technology firms.

One import namespace for the whole project. Its parts live in the
repository's top-level folders and are mapped in by pyproject.toml:

- policy_ledger.dataset  (dataset/)   the records, their schemas, vocabularies
                                      and each resource's declaration
- policy_ledger.pipeline (pipeline/)  validate -> documents -> SQLite -> exports
- policy_ledger.api      (api/)       the read-only Flask app over the database
- policy_ledger.cli, .serve, .settings  the command line, the WSGI entry point
                                      and every POLICY_LEDGER_* setting
"""
