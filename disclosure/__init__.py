"""Static portal generator for Chinese department budget and final-account disclosures."""

__version__ = "0.1.0"
