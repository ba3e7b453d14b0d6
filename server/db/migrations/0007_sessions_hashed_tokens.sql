-- The OAuth server now stores only hashes of secret ids: rows keyed by a clear token value
-- are dropped (their holders sign in and authorize again). SQLite has no SHA-256 to hash them.
DELETE FROM `oauth_store` WHERE `model` NOT IN ('Grant', 'Client', 'ReplayDetection', 'DeviceCode');
