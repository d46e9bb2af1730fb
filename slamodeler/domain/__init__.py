"""Plain data of the product: contracts, incidents and results. No Qt, no SQL, no files."""
