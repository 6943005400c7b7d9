"""The TM Forum Open APIs under `/tmf-api/`, over the one order engine and store
(docs/tmf.md): TMF622 product ordering (`order_routes.py`, `cancel_routes.py`), TMF620
product catalog (`catalog_routes.py`), TMF629 customers (`customer_routes.py`), TMF637
product inventory (`product_routes.py`); each API's `hub` (`hub_routes.py`) and its
published document (`docs_routes.py`). Conventions shared by all: `conventions.py`;
callers: `callers.py`. None is in `/openapi.json`: the TM Forum documents are the
contract."""

from orderhub.surfaces.mounting import Surface
from orderhub.surfaces.tmf import (
    catalog_routes,
    customer_routes,
    docs_routes,
    hub_routes,
    order_routes,
    product_routes,
)
from orderhub.surfaces.tmf.conventions import (
    CUSTOMER,
    PRODUCT_CATALOG,
    PRODUCT_INVENTORY,
    PRODUCT_ORDERING,
)

surfaces = tuple(
    Surface(
        prefix=api.prefix,
        tags=("tmf",),
        routers=(*routers, hub_routes.router_for(api), docs_routes.router_for(api)),
    )
    for api, routers in (
        (PRODUCT_ORDERING, (order_routes.router,)),
        (PRODUCT_CATALOG, (catalog_routes.router,)),
        (CUSTOMER, (customer_routes.router,)),
        (PRODUCT_INVENTORY, (product_routes.router,)),
    )
)
