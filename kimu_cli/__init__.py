"""kimu: the register and reports of NAV's arbeidsleder model."""

__version__ = "0.1.0"
