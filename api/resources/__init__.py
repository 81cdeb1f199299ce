"""One module per resource: its declaration and its Blueprint."""
