-- Baseline: the fetch path's own query (an owner's tokens for the app, newest first), without HTTP,
-- authentication, decryption or JSON.
\set n random(0, :tokens - 1)
SELECT * FROM outbound_tokens WHERE "AppId" = 'bench-app' AND "UserId" = 'u' || :n AND "TenantId" = '' ORDER BY "UpdatedAt" DESC, "Id" DESC;
