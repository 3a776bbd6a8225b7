//! Pure functions turning a Shoptet order into RAYNET client, product and business-case
//! drafts, following SYNC-RULES.md.
