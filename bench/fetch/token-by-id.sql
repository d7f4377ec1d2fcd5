-- Baseline: one token row by primary key (bench_ids maps 0..N-1 to the server-generated ids).
\set n random(0, :tokens - 1)
SELECT t.* FROM outbound_tokens t JOIN bench_ids b ON b.id = t."Id" WHERE b.n = :n;
