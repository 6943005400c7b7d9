"""The seeds' whole call sequences, run against a server (`orderhub demo --flow ...`):

consumer.py    seed 001, the consumer order from OTP sign-in to submit (the default flow;
               its `run` and `BASE` are this package's)
partner.py     seed 002, a B2B partner's quote, contract and order to completion
onboarding.py  seed 003, a service provider's onboarding order to PreActive services
care.py        seed 004, the example care order, applied by the worker
steps.py       what each reports: a `Step` per call, `DemoFailed`
"""

from orderhub.demo.consumer import BASE, run
from orderhub.demo.steps import DemoFailed, Step

__all__ = ["BASE", "DemoFailed", "Step", "run"]
