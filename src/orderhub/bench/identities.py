"""Who the bench buyers are and which numbers they pick from, shared by seed and loadgen.

Plain functions of an index and no imports of the app, so the load generator stays light.
"""

from __future__ import annotations

AREA_CODE = "555"
# Bench customers sign in with 555-2xx-xxxx phones, an exchange the sandbox never uses.
FIRST_PHONE = 5_552_000_000
# Pool numbers are spread evenly over the whole area code: number search starts from a
# random point of the 10-million range, so a pool packed into one corner would hand every
# concurrent buyer the same few numbers and measure reservation collisions instead.
NUMBER_STEP = 50
MAX_NUMBERS = 10_000_000 // NUMBER_STEP

ZIP_CODE = "75201"
ADDRESS = {"addressLine1": "100 Main St", "city": "Dallas", "state": "TX", "zipCode": ZIP_CODE}


def phone(index: int) -> str:
    return str(FIRST_PHONE + index)


def customer_id(index: int) -> str:
    return f"cus_bench_{index:06d}"


def pool_number(index: int) -> str:
    return f"{AREA_CODE}{index * NUMBER_STEP:07d}"


# The other channels' bench data (bench/channel_seed.py), apart from the sandbox's own rows.
# The sandbox partner's documented credentials (as demo/partner.py CLIENT; not imported:
# this module stays free of app imports).
PARTNER_CLIENT = {"client_id": "sandbox-partner", "client_secret": "sandbox-partner-secret"}
PARTNER_ID = "prt_sandbox"
BUSINESS_CUSTOMERS = 100  # partner orders round-robin over them


def business_customer_id(index: int) -> str:
    return f"bcu_bench_{index:04d}"


def business_tax_id(index: int) -> str:
    """79-nnn5555: the sandbox's business customers are 75- and 77-, and the sandbox
    bureau approves a tax id ending 5555 (0000 is declined, 1111 and 2222 are not plain
    approvals: adapters/credit_bureau.py)."""
    return f"79-{index:03d}5555"


# Care orders change lines of one bench business account, one line per change until the
# pool wraps. Area code 556: the consumer bench's pool is 555, the sandbox's lines 123.
CARE_ACCOUNT = "81790000"
CARE_GROUP = "79000000001"
CARE_RATE_PLAN = "mobile-select-pooled"
CARE_CTN_PREFIX = "556"


def care_ctn(index: int) -> str:
    return f"{CARE_CTN_PREFIX}{index:07d}"


# Onboarding: every submitted order holds a SIP username (10 digits) and a PPPoE user
# name of its own; bench ones are 219xxxxxxx and bench.<n>, numbered on from the highest
# the database holds, so a reused database never refuses one as taken.
SIP_PREFIX = "219"


def sip_username(index: int) -> str:
    return f"{SIP_PREFIX}{index:07d}"
