// A custom injector for the demo service: it poisons the service's item store, the data every client
// of /api/items depends on, with records that break careless parsers. No built-in fault does this:
// the built-ins delay, drop or refuse traffic; this one leaves the traffic alone and corrupts the data.

const MARKER = "faultline-poison";

faultline.injector("shop.poison_items", {
  doc: "Adds `count` items the service's clients cannot parse (no name, a negative price, a huge tag), until reverted",
  params: { url: "string", count: "int = 3" },

  // What a dry run prints: nothing is called.
  plan: (args) => `add ${args.count} poison items to ${args.url}/api/items`,

  // Does the harm and returns how to undo it.
  inject(args, fl) {
    const ids = [];
    for (let i = 0; i < args.count; i++) {
      const r = fl.http.post(`${args.url}/api/items`, { name: null, price: -1, tag: "x".repeat(4096), marker: MARKER });
      if (r.status !== 201) throw new Error(`POST /api/items answered ${r.status} ${r.error}`);
      ids.push(r.json.id);
    }
    fl.log(`poisoned ${ids.length} items: ${ids.join(", ")}`);
    return {
      revert() {
        for (const id of ids) fl.http.delete(`${args.url}/api/items/${id}`);
      },
    };
  },

  // After a crash, in another process: the ids are gone with the run, so find the items by their marker.
  recover(record, fl) {
    const items = fl.http.get(`${record.args.url}/api/items`).json;
    for (const item of items) {
      if (item.marker === MARKER) fl.http.delete(`${record.args.url}/api/items/${item.id}`);
    }
  },
});

faultline.probe("shop.poisoned", {
  doc: "How many items of the service's store a strict client would reject",
  params: { url: "string" },
  returns: "int",
  run(args, fl) {
    const items = fl.http.get(`${args.url}/api/items`).json;
    return items.filter((item) => typeof item.name !== "string" || item.price < 0).length;
  },
});
