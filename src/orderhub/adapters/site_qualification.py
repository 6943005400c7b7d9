"""Site qualification port: can a business product be served at a site's address, and up
to which access speed? Partners "qualify, price, contract and order" (seed 002): a quote
is checked against it at validation (quotes/service.py).

Not onboarding's service qualification (adapters/qualification.py, by phone line): this
one asks the network about a street address. The sandbox decides by documented rules
(docs/sandbox.md, "Site qualification"); a deployment plugs its network inventory's
serviceability check in here (adapters/registry.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

from orderhub.adapters.postal import PostalAddress


@dataclass(frozen=True)
class Serviceability:
    """What the network offers one product family at one address."""

    serviceable: bool
    max_mbps: int | None = None  # the fastest access it can be served at; None: any
    reason: str | None = None  # why not, or why only up to max_mbps


class SiteQualifier(Protocol):
    def qualify(self, address: PostalAddress, *, family: str) -> Serviceability: ...


EVERYWHERE = Serviceability(True)

# A building the network does not reach: house number 9999 on any street.
_OFF_NET_HOUSE = re.compile(r"^9999\b")
# A ranch road: served by fixed wireless only.
_RANCH_ROAD = re.compile(r"\bRANCH (RD|ROAD)\b")


class SandboxSiteQualifier:
    """Deterministic rules on the postal-standardized address (docs/sandbox.md):

    * ZIP 79999: no network at all; house number 9999 on any street: off-net building;
    * ZIP 79998: copper only: internet and voice up to 100 Mbps, no ethernet (fiber);
    * ZIP 79997: fiber lit up to 1 Gbps (every product, no 10 Gbps);
    * a street line naming a RANCH RD: fixed wireless, internet and voice up to
      50 Mbps, no ethernet;
    * every other address: every product at every speed.
    """

    def qualify(self, address: PostalAddress, *, family: str) -> Serviceability:
        zip5 = address.zip_code[:5]
        line = address.address_line1.upper()
        if zip5 == "79999":
            return Serviceability(False, reason="no network reaches ZIP 79999")
        if _OFF_NET_HOUSE.match(line):
            return Serviceability(False, reason="the building is not on the network")
        if zip5 == "79998":
            return self._limited(family, 100, "only copper reaches ZIP 79998")
        if _RANCH_ROAD.search(line):
            return self._limited(family, 50, "only fixed wireless reaches ranch roads")
        if zip5 == "79997":
            return Serviceability(True, 1000, "fiber in ZIP 79997 is lit up to 1 Gbps")
        return EVERYWHERE

    @staticmethod
    def _limited(family: str, mbps: int, reason: str) -> Serviceability:
        # Switched ethernet needs fiber to the building.
        if family == "ethernet":
            return Serviceability(False, reason=f"{reason}, and ethernet needs fiber")
        return Serviceability(True, mbps, reason)
