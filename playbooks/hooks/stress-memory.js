// chaos.memory_held(listing): how much memory the stress workers of this run hold, measured, not
// assumed: the resident set (RSS) of every process that stress.memory or stress.cpu started from
// the process running the playbook (found by the FAULTLINE_STRESS tag in its environment, see
// docs/stdlib/stress.md) and of all their descendants (stress-ng's stressors hold the memory in
// child processes). Workers of other runs on the same machine are not counted.
//
// `listing` is the output of the command in lib/memory-held.fl, run by the playbook with
// command() (a hook has no access to files or processes of its own):
//   line 1         the PID of the process running the playbook (the $PPID of that sh)
//   then           /proc/<pid>/environ of each process carrying FAULTLINE_STRESS
//   a line "--"    then `ps -e -o pid= -o ppid= -o rss=`: every process, its parent, its RSS in KiB
faultline.probe("chaos.memory_held", {
  doc: "Resident memory of the stress workers this run started, with their descendants, from a process listing",
  params: { listing: "string" },
  returns: "size",
  run(args, fl) {
    const lines = args.listing.split("\n").map((l) => l.trim());
    const cut = lines.indexOf("--");
    if (cut < 1) throw new Error("not a memory listing (no '--' line): " + args.listing.slice(0, 200));
    const self = lines[0];
    const tagged = new Set(lines.slice(1, cut).filter((l) => l.length > 0).map((l) => l.split("/")[2]));
    const rows = lines.slice(cut + 1).map((l) => l.split(/\s+/)).filter((r) => r.length === 3);
    const held = new Set(rows.filter((r) => tagged.has(r[0]) && r[1] === self).map((r) => r[0]));
    let grew = true;
    while (grew) {
      grew = false;
      for (const r of rows) {
        if (!held.has(r[0]) && held.has(r[1])) {
          held.add(r[0]);
          grew = true;
        }
      }
    }
    let kib = 0;
    for (const r of rows) if (held.has(r[0])) kib += parseInt(r[2], 10);
    return fl.size(kib * 1024);
  },
});
