"""OrderHub: one telecom order engine with thin channel APIs."""

__version__ = "0.1.0"
