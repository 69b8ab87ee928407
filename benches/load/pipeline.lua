-- 16 requests per write: wrk sends them together and counts 16 responses.
init = function(args)
  local r = {}
  for i = 1, 16 do
    r[i] = wrk.format("GET", "/")
  end
  req = table.concat(r)
end

request = function()
  return req
end
