"""Partners' quotes: sites and configured business products, priced from the catalog."""
