#!/usr/bin/env python3
"""Per-write CPU breakdown of a `perf record -g` of the node JVMs (OneWriterProfile -Dbench.perf=DIR).

Usage: perf script -i DIR/T.perf.data -F comm,pid,tid,ip,sym,dso | perf_breakdown.py WRITES HZ
Prints, per process (its role guessed from its Java frames): CPU per write split into kernel and
user, by thread group, by syscall, by the Java method that entered the kernel, the hottest frames
(self) and Java methods (inclusive), and a few components (Artery, TCP, streams, persistence...).
Java frames need the JVMs' perf maps (jcmd PID Compiler.perfmap) and -XX:+PreserveFramePointer.
"""
import re
import sys
from collections import Counter, defaultdict

writes = int(sys.argv[1])
hz = float(sys.argv[2])
us_per_sample = 1e6 / hz

STUBS = ('Interpreter', 'StubRoutines', 'I2C/C2I', 'method entry point', 'Stub')
COMPONENTS = [  # the match nearest the leaf wins; native patterns apply to any frame, the others to Java frames
    ('thread park/unpark (futex)', r'futex|pthread_cond|Parker::|lll_lock|Unsafe\.(un)?park', True),
    ('fsync', r'fdatasync|FileDispatcherImpl\.force', True),
    ('file write (journal)', r'pwrite|ext4_file_write_iter|FileOutputStream\.write', True),
    ('epoll / selector wake-up', r'epoll|EventFD|EPoll', True),
    # a socket's write goes through FileDispatcherImpl.write0 in JDK 17; the journal uses pwrite
    ('socket read/write', r'SocketDispatcher|FileDispatcherImpl\.write0|sock_(read|write)|tcp_sendmsg|tcp_recvmsg', True),
    ('journal plugin (LocalJournal, SegmentedLog)', r'io\.paddock\.persistence\.journal|FileTxnLog|SyncRequestProcessor', False),
    ('Jackson/CBOR', r'com\.fasterxml\.jackson', False),
    ('pekko serialization', r'pekko\.serialization|pekko\.remote\.MessageSerializer|pekko\.persistence\.serialization', False),
    ('Artery', r'pekko\.remote', False),
    ('pekko io TCP actors', r'pekko\.io\.', False),
    ('pekko streams', r'pekko\.stream\.', False),
    ('pekko persistence', r'pekko\.persistence', False),
    ('pekko cluster / ddata', r'pekko\.cluster', False),
    ('paddock node', r'io\.paddock\.node', False),
    ('paddock protocol / persistence', r'io\.paddock\.', False),
    ('pekko scheduler', r'LightArrayRevolverScheduler', False),
    ('pekko actors / dispatch / FJP', r'pekko\.dispatch|pekko\.actor|ForkJoin', False),
    ('ZooKeeper server', r'org\.apache\.zookeeper', False),
    ('logging', r'ch\.qos\.logback|org\.slf4j|log4j', False),
]


def parse(stream):
    sample = None
    for line in stream:
        line = line.rstrip('\n')
        if not line:
            if sample:
                yield sample
            sample = None
            continue
        if not line.startswith('\t') and not line.startswith(' '):
            m = re.match(r'^(.*?)\s+(\d+)/(\d+)\s*$', line)
            if m:
                sample = {'comm': m.group(1).strip(), 'pid': int(m.group(2)), 'frames': []}
            continue
        if sample is None:
            continue
        m = re.match(r'^\s*[0-9a-f]+\s+(.*)\s+\((.*)\)\s*$', line)
        if m:
            sample['frames'].append((m.group(1), m.group(2)))
    if sample:
        yield sample


def java(frame):
    sym, dso = frame
    return 'perf-' in dso and not sym.startswith(STUBS)


def short(sym):
    # "void a.b.C.m(args)" -> "C.m"
    s = re.sub(r'\(.*$', '', sym)
    s = s.split(' ')[-1]
    parts = s.split('.')
    return '.'.join(parts[-2:]) if len(parts) >= 2 else s


def group(comm):
    return re.sub(r'[#:\-]?\d+$', '', comm)


procs = defaultdict(lambda: {'n': 0, 'kernel': 0, 'groups': Counter(), 'sys': Counter(), 'entry': Counter(),
                             'self': Counter(), 'incl': Counter(), 'comp': Counter(), 'role': set(), 'userkind': Counter()})
for s in parse(sys.stdin):
    p = procs[s['pid']]
    p['n'] += 1
    frames = s['frames']
    p['groups'][group(s['comm'])] += 1
    if not frames:
        continue
    top_sym, top_dso = frames[0]
    kernel = top_dso == '[kernel.kallsyms]'
    names = [f[0] for f in frames]
    joined = ' '.join(names)
    if 'io.paddock.node.role.Leading' in joined or 'quorum.Leader.' in joined or 'LeaderRequestProcessor' in joined:
        p['role'].add('leader')
    if 'io.paddock.node.role.Following' in joined or 'quorum.Follower.' in joined or 'FollowerRequestProcessor' in joined:
        p['role'].add('follower')
    if 'cnxn.ClientConnection' in joined or 'NIOServerCnxn.doIO' in joined:
        p['role'].add('clients')
    if kernel:
        p['kernel'] += 1
        syscall = next((re.sub(r'^(__(x64|se|do)_sys_|ksys_)', '', n) for n in names
                        if re.match(r'^(__(x64|se|do)_sys_|ksys_)', n)), None)
        if syscall is None:
            if any('asm_sysvec' in n or 'asm_common_interrupt' in n for n in names):
                syscall = 'interrupt/IPI'
            elif 'do_syscall_64' in names:
                syscall = 'syscall exit'
            else:
                syscall = 'kernel other'
        # where the kernel was entered from: the libc/JVM function (Java frames are lost below libc)
        user = next((f[0] for f in frames if f[1] != '[kernel.kallsyms]'), '?')
        switch = ' +switch' if '__schedule' in names else ''
        p['sys'][f'{syscall}{switch} <- {user[:40]}'] += 1
        p['self']['[k] ' + top_sym] += 1
    else:
        kind = 'java' if 'perf-' in top_dso else ('jvm' if 'libjvm' in top_dso else top_dso.split('/')[-1])
        p['userkind'][kind] += 1
        p['self'][(short(top_sym) if 'perf-' in top_dso else top_sym)] += 1
    first_java = next((short(f[0]) for f in frames if java(f)), '(no Java frame)')
    p['entry'][('[k] ' if kernel else '') + first_java] += 1
    seen = set()
    for f in frames:
        if java(f):
            n = short(f[0])
            if n not in seen:
                seen.add(n)
                p['incl'][n] += 1
    comp = None
    if re.match(r'(C1|C2) CompilerThre', s['comm']):
        comp = 'JIT compiler'
    elif re.match(r'GC Thread|G1 ', s['comm']):
        comp = 'GC'
    for f in frames:
        if comp:
            break
        for label, pattern, native in COMPONENTS:
            if (native or java(f)) and re.search(pattern, f[0]):
                comp = label
                break
    if comp is None:
        comp = 'other Java' if any(java(f) for f in frames) else 'other (JVM or kernel, no Java frame)'
    p['comp'][comp] += 1


def us(n):
    return n * us_per_sample / writes


total = sum(p['n'] for p in procs.values())
print(f'{writes} writes, {total} samples at {hz:.0f} Hz: {us(total):.0f} us of CPU per write over all processes')
for pid, p in sorted(procs.items(), key=lambda kv: -kv[1]['n']):
    role = '+'.join(sorted(p['role'])) if 'leader' in p['role'] else '+'.join(sorted(p['role'] | {'follower'}))
    print(f'\n=== pid {pid} ({role}): {us(p["n"]):.0f} us per write, kernel {us(p["kernel"]):.0f} us '
          f'({100.0 * p["kernel"] / max(1, p["n"]):.0f}%); user: ' +
          ', '.join(f'{k} {us(v):.0f}' for k, v in p['userkind'].most_common()))
    for title, key, n in (('thread groups', 'groups', 10), ('kernel by syscall (+switch: the thread was descheduled in it) <- the user-level caller', 'sys', 16),
                          ('by the Java method that was running or entered the kernel', 'entry', 22),
                          ('components (the match nearest the leaf)', 'comp', 22), ('self (leaf frame)', 'self', 25),
                          ('Java inclusive', 'incl', 40)):
        print(f'-- {title} (us per write, share):')
        for k, v in p[key].most_common(n):
            print(f'   {us(v):7.1f}  {100.0 * v / p["n"]:5.1f}%  {k}')
