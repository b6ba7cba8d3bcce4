-- The daily caps shared by every worker: a tenant's audio milliseconds per UTC day and a project's requests per
-- Pacific day, counted when a call is let through. See RedisDailyQuota.
--
-- KEYS[1]: the tenant's audio milliseconds today; KEYS[2]: the project's requests today (their names carry the day).
-- ARGV: the call's audio ms, the tenant's cap in ms ('' none), the project's cap ('' none), seconds to keep a
-- day's counters, 1 to count the call when it fits (0 only checks).
-- Returns {tenant's audio ms before this call, project's requests before this call}; the call was counted only
-- if it fits under both caps.

local audio = tonumber(ARGV[1])
local tenant_cap = ARGV[2]
local project_cap = ARGV[3]
local tenant_used = tonumber(redis.call('GET', KEYS[1]) or '0')
local project_used = tonumber(redis.call('GET', KEYS[2]) or '0')
local fits = (tenant_cap == '' or tenant_used + audio <= tonumber(tenant_cap))
  and (project_cap == '' or project_used + 1 <= tonumber(project_cap))
if fits and ARGV[5] == '1' then
  redis.call('INCRBY', KEYS[1], audio)
  redis.call('EXPIRE', KEYS[1], ARGV[4])
  redis.call('INCR', KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[4])
end
return {tenant_used, project_used}
