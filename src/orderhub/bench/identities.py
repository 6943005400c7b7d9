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
