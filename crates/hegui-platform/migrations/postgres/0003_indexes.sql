-- Claiming looks for expired leases and for due queued jobs separately, each through its
-- own index, instead of one OR that scans the table; workers look up a job's scans.
CREATE INDEX analyses_lease ON analyses (status, lease_until_ms);
CREATE INDEX scans_analysis ON scans (analysis_id, id);
