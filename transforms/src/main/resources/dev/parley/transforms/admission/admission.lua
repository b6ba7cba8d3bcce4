-- Admission for one quota holder (a Google project or API key, with the model), shared by every worker of every
-- job that spends it. The algorithm of ProjectScheduler, run atomically inside Redis: per-tenant buckets and calls
-- in flight, window-safe project buckets, start-time fair queueing, the quiet tenants' reserve, and the send
-- window. See RedisAdmission.
--
-- KEYS[1]: the holder's prefix, "<namespace>:adm:{<holder hash>}". Every key below starts with it, so they all
--   share one hash slot (Redis Cluster) and one script may touch them all.
-- ARGV[1]: the operation (enqueue, dispatch, renew, drop, send); ARGV[2]: how long idle state is kept, in ms.
--
-- Times are microseconds of the server's clock (TIME): one clock for every worker, whatever theirs say.

local P = KEYS[1]
local op = ARGV[1]
local idle_ttl = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local SECOND = 1000000
local MINUTE = 60 * SECOND
local SHARE_WINDOW = 10 * SECOND -- ProjectScheduler.SHARE_WINDOW_NANOS

local PROJECT = P .. ':project'   -- hash: project buckets, rpm, virtual time, ticket sequence
local ACTIVE = P .. ':active'     -- set: tenants with calls waiting or granted within the share window
local LEASES = P .. ':leases'     -- sorted set: every live ticket, by the time its lease runs out
local SENT = P .. ':sent'         -- sorted set: requests sent within the window, "<n>:<tokens>" by send time
local function tenant_key(t) return P .. ':tenant:' .. t end   -- hash: tenant buckets, limits, fair-queueing tag
local function queue_key(t) return P .. ':queue:' .. t end     -- sorted set: waiting tickets by start tag
local function running_key(t) return P .. ':running:' .. t end -- set: granted tickets not yet released
local function grants_key(t) return P .. ':grants:' .. t end   -- sorted set: grants within the share window
local function ticket_key(id) return P .. ':ticket:' .. id end -- hash: tenant, tokens, audio, start, granted

local function opt(v)
  if v == nil or v == false or v == '' then return nil end
  return tonumber(v)
end

-- Doubles are stored and passed back in full: Lua's own tostring keeps only 14 digits.
local function str(x) return string.format('%.17g', x) end

local function hash(key)
  local flat = redis.call('HGETALL', key)
  local h = {}
  for i = 1, #flat, 2 do h[flat[i]] = flat[i + 1] end
  return h
end

local function touch(...)
  for _, key in ipairs({...}) do redis.call('PEXPIRE', key, idle_ttl) end
end

local function touch_tenant(t)
  touch(tenant_key(t), queue_key(t), running_key(t), grants_key(t))
end

-- A token bucket as of now: capacity, refill per minute and tokens (negative when a large call ran it into debt).
local function bucket(h, name)
  local cap = opt(h[name .. '_cap'])
  if not cap then return nil end
  local b = {cap = cap, refill = tonumber(h[name .. '_refill']), tokens = tonumber(h[name .. '_tokens'])}
  if b.tokens < cap then
    b.tokens = math.min(cap, b.tokens + (now - tonumber(h[name .. '_ts'])) * b.refill / MINUTE)
  end
  return b
end

-- A bucket given a new shape keeps its tokens in proportion (Bucket4j's PROPORTIONALLY); no shape: no limit.
local function reshape(b, cap, refill)
  if not cap then return nil end
  if not b then return {cap = cap, refill = refill, tokens = cap} end
  if b.cap ~= cap then b.tokens = b.tokens * cap / b.cap end
  b.cap = cap
  b.refill = refill
  return b
end

local function save_bucket(key, name, b)
  if b then
    redis.call('HSET', key, name .. '_cap', str(b.cap), name .. '_refill', str(b.refill),
      name .. '_tokens', str(b.tokens), name .. '_ts', str(now))
  else
    redis.call('HDEL', key, name .. '_cap', name .. '_refill', name .. '_tokens', name .. '_ts')
  end
end

-- Microseconds until the bucket holds amount (0: now).
local function wait(b, amount)
  if not b or b.tokens >= amount then return 0 end
  return math.ceil((amount - b.tokens) * MINUTE / b.refill)
end

-- Ends a ticket, waiting or granted: out of its line, its slot among calls in flight freed. Twice is harmless.
local function drop(id)
  local t = redis.call('HGET', ticket_key(id), 'tenant')
  if t then
    redis.call('ZREM', queue_key(t), id)
    redis.call('SREM', running_key(t), id)
  end
  redis.call('ZREM', LEASES, id)
  redis.call('DEL', ticket_key(id))
end

local function trim_grants(t)
  redis.call('ZREMRANGEBYSCORE', grants_key(t), '-inf', '(' .. str(now - SHARE_WINDOW))
end

-- ARGV[3..19]: holder, project rpm, project request bucket (cap, refill), project token bucket (cap, refill),
-- tenant, tenant request bucket, tenant audio bucket, calls in flight, weight, call tokens, call audio ms,
-- fair-queueing increment, lease ms. Absent limits are ''. Returns {ticket id, start tag, finish tag}.
local function enqueue()
  local project = hash(PROJECT)
  save_bucket(PROJECT, 'requests', reshape(bucket(project, 'requests'), opt(ARGV[5]), opt(ARGV[6])))
  save_bucket(PROJECT, 'tokens', reshape(bucket(project, 'tokens'), opt(ARGV[7]), opt(ARGV[8])))
  redis.call('HSET', PROJECT, 'holder', ARGV[3], 'rpm', ARGV[4])
  local t = ARGV[9]
  local tk = tenant_key(t)
  local state = hash(tk)
  save_bucket(tk, 'requests', reshape(bucket(state, 'requests'), opt(ARGV[10]), opt(ARGV[11])))
  save_bucket(tk, 'audio', reshape(bucket(state, 'audio'), opt(ARGV[12]), opt(ARGV[13])))
  redis.call('HSET', tk, 'in_flight_cap', ARGV[14], 'weight', ARGV[15])
  trim_grants(t)
  if redis.call('ZCARD', queue_key(t)) == 0 and redis.call('ZCARD', grants_key(t)) == 0 then
    redis.call('HSET', tk, 'active_since', str(now)) -- a newcomer's rate counts from here
  end
  local start = math.max(opt(project.virtual_time) or 0, opt(state.last_finish) or 0)
  local finish = start + tonumber(ARGV[18])
  redis.call('HSET', tk, 'last_finish', str(finish))
  local id = string.format('%015d', redis.call('HINCRBY', PROJECT, 'sequence', 1))
  redis.call('HSET', ticket_key(id), 'tenant', t, 'tokens', ARGV[16], 'audio', ARGV[17], 'start', str(start),
    'granted', '0')
  redis.call('ZADD', queue_key(t), str(start), id)
  redis.call('SADD', ACTIVE, t)
  redis.call('ZADD', LEASES, str(now + tonumber(ARGV[19]) * 1000), id)
  touch(PROJECT, ACTIVE, LEASES, ticket_key(id))
  touch_tenant(t)
  return {id, str(start), str(finish)}
end

local function next_head(s)
  local h = redis.call('ZRANGE', queue_key(s.id), 0, 0, 'WITHSCORES')
  s.head = h[1]
  s.start = tonumber(h[2])
end

-- Tenants under their share go first, then fair-queueing order (start tag, then arrival).
local function before(a, b)
  if a.under ~= b.under then return a.under end
  if a.start ~= b.start then return a.start < b.start end
  return a.head < b.head
end

-- Microseconds until the tenant's own limits allow the call (0: now); -1 when only a release will help.
local function tenant_wait(s, ticket)
  if s.in_flight_cap and redis.call('SCARD', running_key(s.id)) >= s.in_flight_cap then return -1 end
  local w = wait(s.requests, 1)
  if s.audio then w = math.max(w, wait(s.audio, math.min(tonumber(ticket.audio), s.audio.cap))) end
  return w
end

-- Microseconds until the project bucket can give amount, keeping half its capacity in reserve unless the tenant
-- is quiet. A call larger than what may be taken at once waits for that much, then runs into debt.
local function project_wait(b, amount, quiet)
  if not b then return 0 end
  local reserve = quiet and 0 or math.floor(b.cap / 2)
  return wait(b, math.max(1, math.min(amount, b.cap - reserve) + reserve))
end

local function earliest(current, w)
  if current < 0 or w < current then return w end
  return current
end

-- The tenants with work, their state as of now, and whether each is under its weighted share of the project's
-- request rate (grants in the share window, or since it became active if shorter, at least a second).
local function active_tenants(rpm)
  local tenants = {}
  local total_weight = 0
  for _, t in ipairs(redis.call('SMEMBERS', ACTIVE)) do
    trim_grants(t)
    local waiting = redis.call('ZCARD', queue_key(t))
    local recent = redis.call('ZCARD', grants_key(t))
    if waiting == 0 and recent == 0 then
      redis.call('SREM', ACTIVE, t)
    else
      local h = hash(tenant_key(t))
      local s = {id = t, recent = recent, waiting = waiting, weight = opt(h.weight) or 1,
        since = opt(h.active_since) or now,
        in_flight_cap = opt(h.in_flight_cap), requests = bucket(h, 'requests'), audio = bucket(h, 'audio')}
      next_head(s)
      tenants[#tenants + 1] = s
      total_weight = total_weight + s.weight
    end
  end
  for _, s in ipairs(tenants) do
    if rpm then
      local elapsed = math.min(SHARE_WINDOW, math.max(SECOND, now - s.since))
      s.under = s.recent < rpm / MINUTE * elapsed * s.weight / total_weight
    else
      s.under = true
    end
  end
  return tenants
end

-- ARGV[3..]: ticket ids to report on. Admits every waiting call that can go now (of any worker), drops the
-- tickets whose lease ran out, and returns {microseconds until something may change without a release (-1:
-- none), tickets dropped, then per asked id: 1 granted, 0 waiting, -1 unknown (dropped or expired)}.
local function dispatch()
  local dead = redis.call('ZRANGEBYSCORE', LEASES, '-inf', str(now))
  for _, id in ipairs(dead) do drop(id) end
  local project = hash(PROJECT)
  local requests = bucket(project, 'requests')
  local tokens = bucket(project, 'tokens')
  local virtual_time = opt(project.virtual_time) or 0
  local tenants = active_tenants(opt(project.rpm))
  local next_check = -1
  while true do
    local s = nil
    for _, candidate in ipairs(tenants) do
      if candidate.head and not candidate.blocked and (s == nil or before(candidate, s)) then s = candidate end
    end
    if not s then break end
    local id = s.head
    local ticket = hash(ticket_key(id))
    if not ticket.tenant then
      redis.call('ZREM', queue_key(s.id), id) -- its record expired with an idle worker
      next_head(s)
    else
      local tw = tenant_wait(s, ticket)
      local pw = 0
      if tw == 0 then
        -- Quiet: under its share, with no more calls waiting than its burst. Backlogged tenants leave the reserve.
        local quiet = s.under and s.requests ~= nil and s.waiting <= s.requests.cap
        pw = math.max(project_wait(requests, 1, quiet), project_wait(tokens, tonumber(ticket.tokens), quiet))
      end
      if tw ~= 0 then
        s.blocked = true -- a tenant blocked by its own limits does not hold up the others
        if tw > 0 then next_check = earliest(next_check, tw) end
      elseif pw > 0 then
        next_check = earliest(next_check, pw)
        if not s.under then break end -- over-share calls go strictly in fair-queueing order
        s.blocked = true -- a smaller call of another quiet tenant may still fit
      else
        if requests then requests.tokens = requests.tokens - 1 end
        if tokens then tokens.tokens = tokens.tokens - tonumber(ticket.tokens) end
        if s.requests then s.requests.tokens = s.requests.tokens - 1 end
        if s.audio then s.audio.tokens = s.audio.tokens - tonumber(ticket.audio) end
        redis.call('ZREM', queue_key(s.id), id)
        s.waiting = s.waiting - 1
        redis.call('SADD', running_key(s.id), id)
        redis.call('ZADD', grants_key(s.id), str(now), id)
        redis.call('HSET', ticket_key(id), 'granted', '1')
        virtual_time = math.max(virtual_time, s.start)
        s.granted = true
        next_head(s)
      end
    end
  end
  save_bucket(PROJECT, 'requests', requests)
  save_bucket(PROJECT, 'tokens', tokens)
  redis.call('HSET', PROJECT, 'virtual_time', str(virtual_time))
  for _, s in ipairs(tenants) do
    if s.granted then
      save_bucket(tenant_key(s.id), 'requests', s.requests)
      save_bucket(tenant_key(s.id), 'audio', s.audio)
    end
    touch_tenant(s.id)
  end
  touch(PROJECT, ACTIVE, LEASES)
  local reply = {next_check, #dead}
  for i = 3, #ARGV do
    local granted = redis.call('HGET', ticket_key(ARGV[i]), 'granted')
    if granted then reply[#reply + 1] = tonumber(granted) else reply[#reply + 1] = -1 end
  end
  return reply
end

-- ARGV[3]: lease ms; ARGV[4..]: ticket ids still held by a live worker. Returns per id: 1 renewed, 0 unknown.
local function renew()
  local until_us = str(now + tonumber(ARGV[3]) * 1000)
  local reply = {}
  for i = 4, #ARGV do
    if redis.call('ZSCORE', LEASES, ARGV[i]) then
      redis.call('ZADD', LEASES, until_us, ARGV[i])
      touch(ticket_key(ARGV[i]))
      reply[#reply + 1] = 1
    else
      reply[#reply + 1] = 0
    end
  end
  touch(PROJECT, ACTIVE, LEASES)
  return reply
end

-- The last gate before the wire (SendWindow): ARGV[3]: requests per minute, ARGV[4]: tokens per minute (''
-- for none), ARGV[5]: this request's tokens, ARGV[6]: the window in ms (a minute and the arrival margin).
-- Returns {0} when the request is counted as sent now, else {microseconds after which to ask again}.
local function send()
  local window = tonumber(ARGV[6]) * 1000
  local rpm, tpm, cost = opt(ARGV[3]), opt(ARGV[4]), tonumber(ARGV[5])
  local total = opt(redis.call('HGET', PROJECT, 'sent_tokens')) or 0
  local expired = redis.call('ZRANGEBYSCORE', SENT, '-inf', str(now - window))
  for _, member in ipairs(expired) do total = total - tonumber(string.match(member, ':(%d+)$')) end
  redis.call('ZREMRANGEBYSCORE', SENT, '-inf', str(now - window))
  local count = redis.call('ZCARD', SENT)
  local leaves = 0 -- when enough of the oldest requests have left the window
  if rpm and count >= rpm then
    leaves = tonumber(redis.call('ZRANGE', SENT, count - rpm, count - rpm, 'WITHSCORES')[2]) + window
  end
  if tpm and count > 0 and total + cost > tpm then
    local excess = total + cost - tpm
    local sent = redis.call('ZRANGE', SENT, 0, -1, 'WITHSCORES')
    for i = 1, #sent, 2 do
      excess = excess - tonumber(string.match(sent[i], ':(%d+)$'))
      leaves = math.max(leaves, tonumber(sent[i + 1]) + window)
      if excess <= 0 then break end
    end
  end
  if leaves == 0 then
    local n = redis.call('HINCRBY', PROJECT, 'sent_sequence', 1)
    redis.call('ZADD', SENT, str(now), n .. ':' .. cost)
    total = total + cost
  end
  redis.call('HSET', PROJECT, 'sent_tokens', str(total))
  touch(PROJECT, SENT)
  if leaves == 0 then return {0} end
  return {math.max(1, math.ceil(leaves - now))}
end

if op == 'enqueue' then return enqueue() end
if op == 'send' then return send() end
if op == 'dispatch' then return dispatch() end
if op == 'renew' then return renew() end
if op == 'drop' then
  drop(ARGV[3])
  return {}
end
return redis.error_reply('unknown admission operation ' .. tostring(op))
