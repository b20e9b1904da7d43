"""The command-line commands: one module per command."""
