"""The framework floor: a hello-world Flask app, served by the same gunicorn
settings as Policy Ledger (policy_ledger/serve.py), for the benchmark."""

from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello():
    return {"hello": "world"}
