"""Helpers for the quality-gate tests: a built portal with an archive, the site's links, the Nu validator."""
