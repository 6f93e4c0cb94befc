"""PyTorch side of the tapegrad benchmark (spawned by src/torch.ts; not run by hand).

Reads a manifest (JSON, path in argv[1]) naming the workloads to run, their inputs
(raw little-endian float32 files written by the harness, so PyTorch gets the very
same numbers as the JS libraries), warmup and reps. Runs on one thread and prints
one JSON object on stdout: {"version": ..., "results": {key: {...}}}.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def load(spec):
    with open(spec["file"], "rb") as f:
        raw = bytearray(f.read())
    return torch.frombuffer(raw, dtype=torch.float32).reshape(spec["shape"]).clone()


def sumsq(t):
    return float((t.detach().double() ** 2).sum())


def bench(fn, warmup, reps, budget_ms=float("inf"), min_reps=3, warmup_ms=0.0):
    """Same rules as src/harness.ts: warm up (iterations and time), median of reps samples,
    stopping early past the budget."""
    t0 = time.perf_counter()
    i = 0
    while i < warmup or (time.perf_counter() - t0) * 1000.0 < warmup_ms:
        fn()
        i += 1
    samples = []
    spent = 0.0
    for r in range(max(1, reps)):
        if spent > budget_ms and r >= min(reps, min_reps):
            break
        t0 = time.perf_counter()
        fn()
        dt = (time.perf_counter() - t0) * 1000.0
        spent += dt
        samples.append(dt)
    return {"medianMs": statistics.median(samples), "minMs": min(samples), "maxMs": max(samples), "reps": len(samples)}


def matmul(inp):
    a, b = inp["a"], inp["b"]

    def once():
        with torch.no_grad():
            return a @ b

    return (lambda: once()), (lambda: sumsq(once()))


def matmul_transposed(ta, tb):
    """A^T.B, A.B^T, A^T.B^T: transposed views, as the JS libraries' transposeA/transposeB."""

    def make(inp):
        a = inp["a"].t() if ta else inp["a"]
        b = inp["b"].t() if tb else inp["b"]

        def once():
            with torch.no_grad():
                return a @ b

        return (lambda: once()), (lambda: sumsq(once()))

    return make


def dense_grad(inp):
    x, w, b = inp["x"], inp["w"].requires_grad_(), inp["b"].requires_grad_()

    def once():
        y = torch.relu(x @ w + b).sum()
        dw, db = torch.autograd.grad(y, [w, b])
        return float(y) + sumsq(dw) + sumsq(db)

    return once, once


def mlp_step(inp, lr=1e-3, betas=(0.9, 0.999), eps=1e-8):
    x = inp["x"]
    target = inp["labels"].argmax(dim=1)
    ws = [inp[f"w{i}"].requires_grad_() for i in range(3)]
    bs = [inp[f"b{i}"].requires_grad_() for i in range(3)]
    opt = torch.optim.Adam(ws + bs, lr=lr, betas=betas, eps=eps)

    def step():
        opt.zero_grad(set_to_none=True)
        h = x
        for i, (w, b) in enumerate(zip(ws, bs)):
            h = h @ w + b
            if i < len(ws) - 1:
                h = torch.relu(h)
        loss = F.cross_entropy(h, target)
        loss.backward()
        opt.step()
        return float(loss)

    # check: the loss of the second step (after one Adam update), as in src/workloads/mlp.ts
    return step, (lambda: (step(), step())[1])


def nchw(t):
    """NHWC -> NCHW (torch's native conv layout), done once outside the timed region."""
    return t.permute(0, 3, 1, 2).contiguous()


def oihw(f):
    """Filter [kh, kw, in, out] (tfjs/tapegrad) -> [out, in, kh, kw] (torch)."""
    return f.permute(3, 2, 0, 1).contiguous()


def conv2d_fwd(inp):
    # 3x3, stride 1: padding=1 is 'same'; sum of squares does not depend on the layout
    x, f = nchw(inp["x"]), oihw(inp["f"])

    def once():
        with torch.no_grad():
            return F.conv2d(x, f, padding=1)

    return (lambda: once()), (lambda: sumsq(once()))


def conv2d_grad(inp):
    x, f, dy = nchw(inp["x"]).requires_grad_(), oihw(inp["f"]).requires_grad_(), nchw(inp["dy"])

    def once():
        y = F.conv2d(x, f, padding=1)
        dx, df = torch.autograd.grad(y, [x, f], grad_outputs=dy)
        return sumsq(dx) + sumsq(df)

    return once, once


def cnn_step(inp, lr=0.01):
    x = nchw(inp["x"])
    target = inp["labels"].argmax(dim=1)
    k1, k2 = oihw(inp["k1"]).requires_grad_(), oihw(inp["k2"]).requires_grad_()
    b1, b2, b = inp["b1"].requires_grad_(), inp["b2"].requires_grad_(), inp["b"].requires_grad_()
    # The JS libraries flatten NHWC features [N, 7, 7, 32] (h, w, c order); torch's NCHW
    # flatten is (c, h, w): permute the dense weight's rows once instead of the activations.
    w = inp["w"].reshape(7, 7, 32, 10).permute(2, 0, 1, 3).reshape(1568, 10).contiguous()
    w.requires_grad_()
    opt = torch.optim.SGD([k1, b1, k2, b2, w, b], lr=lr)

    def step():
        opt.zero_grad(set_to_none=True)
        h = F.max_pool2d(torch.relu(F.conv2d(x, k1, b1, padding=1)), 2)
        h = F.max_pool2d(torch.relu(F.conv2d(h, k2, b2, padding=1)), 2)
        loss = F.cross_entropy(h.reshape(h.shape[0], -1) @ w + b, target)
        loss.backward()
        opt.step()
        return float(loss)

    # check: the loss of the second step (after one SGD update), as in src/workloads/conv.ts
    return step, (lambda: (step(), step())[1])


def chain(x):
    return (torch.tanh(x * x + 0.5 * x) * torch.sigmoid(x)).sum()


def chain_fwd(inp):
    x = inp["x"]

    def once():
        with torch.no_grad():
            return float(chain(x))

    return once, once


def chain_grad(inp):
    x = inp["x"].requires_grad_()

    def once():
        y = chain(x)
        (g,) = torch.autograd.grad(y, [x])
        return float(y) + sumsq(g)

    return once, once


def dispatch_add(inp, adds=1000):
    a, b = inp["a"], inp["b"]

    def run():
        for _ in range(adds):
            a + b

    return run, (lambda: float((a + b).reshape(-1)[3]))


WORKLOADS = {
    "matmul_256": matmul,
    "matmul_512": matmul,
    "matmul_1024": matmul,
    "matmul_512_tn": matmul_transposed(True, False),
    "matmul_512_nt": matmul_transposed(False, True),
    "matmul_512_tt": matmul_transposed(True, True),
    "dense_grad": dense_grad,
    "mlp_step": mlp_step,
    "conv2d_fwd": conv2d_fwd,
    "conv2d_grad": conv2d_grad,
    "cnn_step": cnn_step,
    "chain_fwd": chain_fwd,
    "chain_grad": chain_grad,
    "dispatch_add": dispatch_add,
}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    results = {}
    for w in manifest["workloads"]:
        key = w["key"]
        try:
            make = WORKLOADS[key]
            inputs = {name: load(spec) for name, spec in w["inputs"].items()}
            run, check = make(inputs)
            check_value = check()  # for stateful workloads, the first step
            stats = bench(
                run,
                manifest["warmup"],
                manifest["reps"],
                budget_ms=manifest.get("budgetMs", float("inf")),
                warmup_ms=manifest.get("warmupMs", 0.0),
            )
            stats["check"] = check_value
            results[key] = stats
        except Exception as e:  # report per workload, keep going
            results[key] = {"error": f"{type(e).__name__}: {e}"}
        print(f"  torch {key} done", file=sys.stderr, flush=True)
    json.dump({"version": torch.__version__, "threads": torch.get_num_threads(), "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
