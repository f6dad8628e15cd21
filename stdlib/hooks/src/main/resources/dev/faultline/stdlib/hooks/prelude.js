// Faultline's side of every hook context, run once before the hook's own code. It receives the host
// object (registration, log, sleep, http) and defines the global `faultline` API, the unit values,
// and the functions Java calls: copyIn (host values to plain JavaScript), call (a function with
// copied arguments). Nothing else of the host is reachable from a hook.
(function (host) {
  'use strict';
  const UNIT_FIELDS = { duration: 'ms', percent: 'value', size: 'bytes', rate: 'perSecond' };
  const SHOW = {
    duration: (ms) => (ms % 1000 === 0 ? ms / 1000 + 's' : ms + 'ms'),
    percent: (v) => v + '%',
    size: (b) => b + 'B',
    rate: (r) => r + '/s',
  };
  function unit(kind, amount, text) {
    if (typeof amount !== 'number' || !isFinite(amount)) {
      throw new TypeError('faultline.' + kind + '() needs a finite number, got ' + String(amount));
    }
    const u = { kind: kind };
    u[UNIT_FIELDS[kind]] = amount;
    u.text = text === undefined ? SHOW[kind](amount) : text;
    u.toString = function () { return this.text; };
    return Object.freeze(u);
  }
  function copyIn(v) {
    if (v === null || v === undefined) return null;
    const t = typeof v;
    if (t === 'string' || t === 'number' || t === 'boolean') return v;
    if (t === 'bigint') return Number(v);
    if (v.__unit !== undefined) return unit(v.__unit, v.amount, v.text);
    if (v.length !== undefined && typeof v !== 'string' && v.__map === undefined) {
      const out = [];
      for (let i = 0; i < v.length; i++) out.push(copyIn(v[i]));
      return out;
    }
    const out = {};
    for (const k of Object.keys(v)) if (k !== '__map') out[k] = copyIn(v[k]);
    return out;
  }
  let registering = true;
  function register(kind, name, spec) {
    if (!registering) throw new Error('faultline.' + kind + '() registers at the top level of the hook, not inside a call');
    if (spec === null || typeof spec !== 'object') throw new TypeError('faultline.' + kind + '("' + name + '", spec): spec must be an object');
    host.register(kind, String(name), spec);
  }
  function request(method, url, opts) {
    opts = opts || {};
    let body = opts.body;
    if (body !== undefined && body !== null && typeof body !== 'string') body = JSON.stringify(body);
    const headers = opts.headers ? JSON.stringify(opts.headers) : '{}';
    const timeout = opts.timeout === undefined ? 5000 : (typeof opts.timeout === 'number' ? opts.timeout : opts.timeout.ms);
    const r = copyIn(host.http(String(method), String(url), body === undefined ? null : body, headers, timeout));
    r.ok = r.status >= 200 && r.status < 300;
    Object.defineProperty(r, 'json', { get() { return r.body === '' ? null : JSON.parse(r.body); } });
    return r;
  }
  const api = {
    injector: (name, spec) => register('injector', name, spec),
    probe: (name, spec) => register('probe', name, spec),
    log: (...parts) => host.log(parts.map((p) => (typeof p === 'object' && p !== null && !p.kind ? JSON.stringify(p) : String(p))).join(' ')),
    sleep: (d) => host.sleep(typeof d === 'number' ? d : d.ms),
    http: Object.freeze({
      get: (url, opts) => request('GET', url, opts),
      post: (url, body, opts) => request('POST', url, Object.assign({}, opts, { body: body })),
      delete: (url, opts) => request('DELETE', url, opts),
      request: (method, url, opts) => request(method, url, opts),
    }),
    call: (target, name, args) => (typeof target === 'string'
      ? copyIn(host.call(null, target, name === undefined ? {} : name, false))
      : copyIn(host.call(target, String(name), args === undefined ? {} : args, false))),
    inject: (target, name, args) => (typeof target === 'string'
      ? host.call(null, target, name === undefined ? {} : name, true)
      : host.call(target, String(name), args === undefined ? {} : args, true)),
    duration: (ms) => unit('duration', ms),
    percent: (value) => unit('percent', value),
    size: (bytes) => unit('size', bytes),
    rate: (perSecond) => unit('rate', perSecond),
  };
  Object.defineProperty(api, 'params', { get: () => copyIn(host.params()), enumerable: true });
  Object.defineProperty(api, 'recorded', { get: () => copyIn(host.recorded()), enumerable: true });
  Object.freeze(api);
  Object.defineProperty(globalThis, 'faultline', { value: api, writable: false, configurable: false, enumerable: false });
  return Object.freeze({
    copyIn: copyIn,
    done: () => { registering = false; },
    call: (fn, self, args) => fn.call(self, copyIn(args), api),
    // A function taking the arguments one by one (primitives cross without a copy), for the hot path.
    caller: (fn, self, names) => {
      const keys = Array.from(names);
      const n = keys.length;
      return function () {
        const args = {};
        for (let i = 0; i < n; i++) {
          const v = arguments[i];
          args[keys[i]] = v === null || typeof v !== 'object' ? v : copyIn(v);
        }
        return fn.call(self, args, api);
      };
    },
    call2: (fn, self, a, b) => fn.call(self, copyIn(a), copyIn(b)),
  });
})
