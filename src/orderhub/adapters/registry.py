"""Which implementation of each port this process uses.

To plug in a real provider, implement the Protocol in its module (e.g. an HTTP
client for your bureau) and choose it here from settings.
"""

from __future__ import annotations

from dataclasses import dataclass

from orderhub.adapters.credit_bureau import CreditBureau, SandboxCreditBureau
from orderhub.adapters.fulfillment import Fulfillment, SandboxFulfillment
from orderhub.adapters.messaging import Messenger, SandboxMessenger, UnconfiguredMessenger
from orderhub.adapters.payments import PaymentProvider, SandboxPayments
from orderhub.adapters.postal import PostalValidator, SandboxPostalValidator
from orderhub.adapters.provisioning import Provisioning, SandboxProvisioning
from orderhub.adapters.qualification import Qualifier, SandboxQualifier
from orderhub.adapters.site_qualification import SandboxSiteQualifier, SiteQualifier
from orderhub.config import Settings
from orderhub.db import Database


@dataclass(frozen=True)
class Adapters:
    credit_bureau: CreditBureau
    postal: PostalValidator
    messenger: Messenger
    provisioning: Provisioning
    fulfillment: Fulfillment
    qualifier: Qualifier
    site_qualifier: SiteQualifier
    payments: PaymentProvider

    @classmethod
    def for_settings(cls, settings: Settings, database: Database | None = None) -> Adapters:
        # No real providers ship yet: production keeps the rule-based bureau and postal
        # sandboxes (deterministic, documented) but refuses to "send" messages it can't.
        # Provisioning and consumer fulfillment are the sandbox schedules everywhere until
        # real systems are plugged in.
        return cls(
            credit_bureau=SandboxCreditBureau(),
            postal=SandboxPostalValidator(),
            messenger=SandboxMessenger() if settings.sandbox else UnconfiguredMessenger(),
            provisioning=SandboxProvisioning(settings.provisioning_step_seconds),
            fulfillment=SandboxFulfillment(settings.fulfillment_step_seconds),
            qualifier=SandboxQualifier(),
            site_qualifier=SandboxSiteQualifier(),
            # Sandbox test cards only: a deployment taking real money plugs its provider here.
            # Its charges are in the database so every process (serve, worker) sees them.
            payments=SandboxPayments(database),
        )
