"""Every table, imported in one place so Alembic and the tests see the whole schema."""

from orderhub.adapters.messaging import SentMessage
from orderhub.adapters.payments import SandboxCharge
from orderhub.business.models import (
    BusinessCustomer,
    ExceptionRequest,
    PartnerAlliance,
    SubAccount,
)
from orderhub.business_catalog.models import BusinessProduct
from orderhub.careorders.models import CareChange, CareOrder
from orderhub.catalog.models import Offer
from orderhub.clock import ClockSetting
from orderhub.contracts.models import Contract
from orderhub.credit.models import (
    BusinessCreditDecision,
    CreditApplication,
    CustomerCreditProfile,
)
from orderhub.customers.models import Account, Address, Customer
from orderhub.db import Base
from orderhub.fulfillment.models import Fulfillment, Store
from orderhub.idempotency.models import IdempotencyRecord
from orderhub.identity.models import (
    AttemptBudget,
    InstanceSecret,
    OtpChallenge,
    PasskeyChallenge,
    PasskeyCredential,
    PasswordCredential,
)
from orderhub.inventory.models import (
    AccountAccess,
    AccountGroup,
    Feature,
    InventoryAccount,
    InventoryService,
    PackageSubscription,
    RatePlan,
    ServiceIdentifier,
    ServiceSubscription,
    Subscriber,
    SubscriberEvent,
    SubscriberFeature,
)
from orderhub.ledger.models import Order, OrderEvent, OrderReference
from orderhub.numbers.models import PhoneNumber
from orderhub.onboarding.models import (
    AccountNote,
    Location,
    OnboardingAccount,
    OnboardingOrder,
    OrderService,
    Package,
    Payment,
    ProviderSettings,
    ServiceType,
    SqResult,
    TermsBlock,
)
from orderhub.operators.models import ConsoleSession, OperatorUser
from orderhub.opportunities.models import Opportunity
from orderhub.ordering.models import CancelRequest, OrderDetail
from orderhub.orders.models import OrderItem
from orderhub.partner_orders.models import PartnerOrder, PartnerSubOrder
from orderhub.partners.models import Partner, PartnerClient
from orderhub.quotes.models import Quote, QuoteItem, QuoteSite
from orderhub.webhooks.models import OutboxEvent, WebhookDelivery, WebhookSubscription

__all__ = [
    "Account",
    "AccountAccess",
    "AccountGroup",
    "AccountNote",
    "Address",
    "AttemptBudget",
    "Base",
    "BusinessCreditDecision",
    "BusinessCustomer",
    "BusinessProduct",
    "CancelRequest",
    "CareChange",
    "CareOrder",
    "ClockSetting",
    "ConsoleSession",
    "Contract",
    "CreditApplication",
    "Customer",
    "CustomerCreditProfile",
    "ExceptionRequest",
    "Feature",
    "Fulfillment",
    "IdempotencyRecord",
    "InstanceSecret",
    "InventoryAccount",
    "InventoryService",
    "Location",
    "Offer",
    "OnboardingAccount",
    "OnboardingOrder",
    "OperatorUser",
    "Opportunity",
    "Order",
    "OrderDetail",
    "OrderEvent",
    "OrderItem",
    "OrderReference",
    "OrderService",
    "OtpChallenge",
    "OutboxEvent",
    "Package",
    "PackageSubscription",
    "Partner",
    "PartnerAlliance",
    "PartnerClient",
    "PartnerOrder",
    "PartnerSubOrder",
    "PasskeyChallenge",
    "PasskeyCredential",
    "PasswordCredential",
    "Payment",
    "PhoneNumber",
    "ProviderSettings",
    "Quote",
    "QuoteItem",
    "QuoteSite",
    "RatePlan",
    "SandboxCharge",
    "SentMessage",
    "ServiceIdentifier",
    "ServiceSubscription",
    "ServiceType",
    "SqResult",
    "Store",
    "SubAccount",
    "Subscriber",
    "SubscriberEvent",
    "SubscriberFeature",
    "TermsBlock",
    "WebhookDelivery",
    "WebhookSubscription",
]
