"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from orderhub.adapters.messaging import SentMessage
from orderhub.catalog.models import Offer
from orderhub.credit.models import CreditApplication
from orderhub.customers.models import Account, Address, Customer
from orderhub.db import Base
from orderhub.fulfillment.models import Fulfillment, Store
from orderhub.idempotency.models import IdempotencyRecord
from orderhub.identity.models import InstanceSecret, OtpChallenge, PasswordCredential
from orderhub.numbers.models import PhoneNumber
from orderhub.orders.models import Order, OrderEvent, OrderItem

__all__ = [
    "Account",
    "Address",
    "Base",
    "CreditApplication",
    "Customer",
    "Fulfillment",
    "IdempotencyRecord",
    "InstanceSecret",
    "Offer",
    "Order",
    "OrderEvent",
    "OrderItem",
    "OtpChallenge",
    "PasswordCredential",
    "PhoneNumber",
    "SentMessage",
    "Store",
]
