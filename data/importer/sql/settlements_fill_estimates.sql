-- Fill in the estimated populations of staged places and mark them estimated.
-- $1 staged idx (int[]), $2 their populations (int[]), in the same order.
UPDATE stage_settlement s SET population = e.pop, estimated = true
FROM unnest($1::int[], $2::int[]) AS e(idx, pop)
WHERE s.idx = e.idx
