namespace CleanProdFlow.Engine.Bpmn;

/// <summary>
/// The flow graph of one process or sub-process, with each sequence flow as a vertex of its own (so that "every
/// path passes this branch of that gateway" is a dominance question) and a virtual root before the start events.
/// Boundary events hang off their activity. Answers reachability and finds parallel joins fed by alternative
/// branches of one exclusive gateway.
/// </summary>
/// <remarks>
/// A parallel join deadlocks when two of its incoming flows can only be reached through different outgoing
/// branches of the same exclusive gateway: each token through the gateway takes one branch, so the join waits
/// for ever. Such flows f1, f2 have branch edges b1 ≠ b2 of gateway X among their dominators; b1 and b2 are
/// children of X in the dominator tree (their only predecessor is X), so X is the lowest common dominator of f1
/// and f2, and the only gateway that can cause the conflict. The gateway is exempt when it may run more than once
/// concurrently (reachable through two branches of a fork that no synchronising join merges first, from a
/// non-interrupting boundary event, or on a cycle that contains a fork and does not pass the join): then one token
/// may take b1 and another b2. Cycles (rework loops) are fine otherwise:
/// dominators are computed with Lengauer–Tarjan in O(E log V), iteratively.
/// </remarks>
internal sealed class ScopeGraph
{
    private const int MaxPairsPerJoin = 5_000;

    private readonly IReadOnlyList<NodeInfo> _nodes;
    private readonly IReadOnlyList<FlowInfo> _flows;
    private readonly Dictionary<NodeInfo, int> _nodeIndex = [];
    private readonly Dictionary<FlowInfo, int> _flowIndex = [];
    private readonly int _root;
    private readonly int _count;
    private readonly List<int>[] _successors;
    private readonly List<int>[] _predecessors;
    private readonly int[] _dfnum;
    private readonly int[] _idom;
    private readonly int[] _depth;
    private int[][]? _up;
    private readonly Dictionary<long, bool> _mayRunTwice = [];
    private readonly List<int> _path = [];

    public ScopeGraph(IReadOnlyList<NodeInfo> nodes, IReadOnlyList<FlowInfo> flows)
    {
        _nodes = nodes;
        _flows = flows;
        for (var i = 0; i < nodes.Count; i++)
            _nodeIndex[nodes[i]] = i;
        for (var i = 0; i < flows.Count; i++)
            _flowIndex[flows[i]] = nodes.Count + i;
        _root = nodes.Count + flows.Count;
        _count = _root + 1;
        _successors = new List<int>[_count];
        _predecessors = new List<int>[_count];
        for (var v = 0; v < _count; v++)
        {
            _successors[v] = [];
            _predecessors[v] = [];
        }

        foreach (var node in nodes)
        {
            var v = _nodeIndex[node];
            if (node.Kind == "startEvent")
                Edge(_root, v);
            foreach (var flow in node.Outgoing)
            {
                if (_flowIndex.TryGetValue(flow, out var f))
                    Edge(v, f);
            }
            foreach (var boundary in node.Boundaries)
            {
                if (_nodeIndex.TryGetValue(boundary, out var b))
                    Edge(v, b);
            }
        }
        foreach (var flow in flows)
        {
            if (flow.Target is { } target && _nodeIndex.TryGetValue(target, out var t))
                Edge(_flowIndex[flow], t);
        }

        _dfnum = new int[_count];
        _idom = new int[_count];
        _depth = new int[_count];
        ComputeDominators();
    }

    private void Edge(int from, int to)
    {
        _successors[from].Add(to);
        _predecessors[to].Add(from);
    }

    public bool IsReachable(NodeInfo node) => _nodeIndex.TryGetValue(node, out var v) && _dfnum[v] >= 0;

    public bool IsReachable(FlowInfo flow) => _flowIndex.TryGetValue(flow, out var v) && _dfnum[v] >= 0;

    /// <summary>Two incoming flows of a parallel join that lie on alternative branches of one exclusive gateway, if any.</summary>
    public (FlowInfo First, FlowInfo Second, NodeInfo Gateway)? FindAlternativeInputs(NodeInfo join)
    {
        var inputs = join.Incoming.Where(f => _flowIndex.ContainsKey(f) && IsReachable(f)).ToList();
        var pairs = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            for (var j = i + 1; j < inputs.Count; j++)
            {
                if (++pairs > MaxPairsPerJoin)
                    return null;
                var a = _flowIndex[inputs[i]];
                var b = _flowIndex[inputs[j]];
                var lca = LowestCommonDominator(a, b, out var towardA, out var towardB);
                if (lca >= _nodes.Count || _nodes[lca] is not { Kind: "exclusiveGateway", Unsupported: false } gateway)
                    continue;
                if (!IsBranchOf(towardA, gateway) || !IsBranchOf(towardB, gateway) || towardA == towardB)
                    continue;
                if (MayRunTwice(lca, _nodeIndex[join]))
                    continue;
                return (inputs[i], inputs[j], gateway);
            }
        }
        return null;
    }

    private bool IsBranchOf(int vertex, NodeInfo gateway) =>
        vertex >= _nodes.Count && vertex < _root && _flows[vertex - _nodes.Count].Source == gateway;

    // ------------------------------------------------------------ dominators (Lengauer–Tarjan, iterative)

    private void ComputeDominators()
    {
        Array.Fill(_dfnum, -1);
        Array.Fill(_idom, -1);
        var vertex = new int[_count];
        var parent = new int[_count];
        Array.Fill(parent, -1);

        // Depth-first numbering from the root, without recursion.
        var n = 0;
        var stack = new Stack<(int Vertex, int Parent)>();
        stack.Push((_root, -1));
        while (stack.Count > 0)
        {
            var (v, p) = stack.Pop();
            if (_dfnum[v] >= 0)
                continue;
            _dfnum[v] = n;
            vertex[n] = v;
            parent[v] = p;
            n++;
            var successors = _successors[v];
            for (var i = successors.Count - 1; i >= 0; i--)
            {
                if (_dfnum[successors[i]] < 0)
                    stack.Push((successors[i], v));
            }
        }

        var semi = new int[_count];
        var ancestor = new int[_count];
        var best = new int[_count];
        var sameDom = new int[_count];
        var buckets = new List<int>?[_count];
        Array.Fill(semi, -1);
        Array.Fill(ancestor, -1);
        Array.Fill(sameDom, -1);
        for (var v = 0; v < _count; v++)
            best[v] = v;

        for (var i = n - 1; i >= 1; i--)
        {
            var w = vertex[i];
            var p = parent[w];
            var s = p;
            foreach (var v in _predecessors[w])
            {
                if (_dfnum[v] < 0)
                    continue; // unreachable predecessor
                var candidate = _dfnum[v] <= _dfnum[w] ? v : semi[AncestorWithLowestSemi(v, ancestor, best, semi)];
                if (_dfnum[candidate] < _dfnum[s])
                    s = candidate;
            }
            semi[w] = s;
            (buckets[s] ??= []).Add(w);
            ancestor[w] = p;
            best[w] = w;
            if (buckets[p] is { } bucket)
            {
                foreach (var v in bucket)
                {
                    var y = AncestorWithLowestSemi(v, ancestor, best, semi);
                    if (semi[y] == semi[v])
                        _idom[v] = p;
                    else
                        sameDom[v] = y;
                }
                bucket.Clear();
            }
        }
        for (var i = 1; i < n; i++)
        {
            var w = vertex[i];
            if (sameDom[w] >= 0)
                _idom[w] = _idom[sameDom[w]];
        }

        // Depths in depth-first order: a dominator is numbered before what it dominates.
        _depth[_root] = 0;
        for (var i = 1; i < n; i++)
            _depth[vertex[i]] = _depth[_idom[vertex[i]]] + 1;
    }

    /// <summary>The classic EVAL with path compression, written with an explicit stack.</summary>
    private int AncestorWithLowestSemi(int v, int[] ancestor, int[] best, int[] semi)
    {
        var path = _path;
        path.Clear();
        var x = v;
        while (ancestor[x] >= 0 && ancestor[ancestor[x]] >= 0)
        {
            path.Add(x);
            x = ancestor[x];
        }
        // x's ancestor has no ancestor: best[x] is final. Compress from the top down.
        for (var i = path.Count - 1; i >= 0; i--)
        {
            var u = path[i];
            var a = ancestor[u];
            var b = best[a];
            ancestor[u] = ancestor[a];
            if (_dfnum[semi[b]] < _dfnum[semi[best[u]]])
                best[u] = b;
        }
        return best[v];
    }

    // ------------------------------------------------------------ lowest common dominator (binary lifting)

    private int LowestCommonDominator(int a, int b, out int towardA, out int towardB)
    {
        var up = Lifting();
        var x = a;
        var y = b;
        // Bring both to the same depth, remembering the child below the meeting point on each side.
        if (_depth[x] > _depth[y])
            x = Lift(up, x, _depth[x] - _depth[y]);
        else if (_depth[y] > _depth[x])
            y = Lift(up, y, _depth[y] - _depth[x]);
        if (x == y)
        {
            towardA = towardB = -1; // one dominates the other: no alternative branches
            return x;
        }
        for (var k = up.Length - 1; k >= 0; k--)
        {
            if (up[k][x] != up[k][y])
            {
                x = up[k][x];
                y = up[k][y];
            }
        }
        towardA = x;
        towardB = y;
        return up[0][x];
    }

    private static int Lift(int[][] up, int v, int by)
    {
        for (var k = 0; by > 0; k++, by >>= 1)
        {
            if ((by & 1) != 0)
                v = up[k][v];
        }
        return v;
    }

    private int[][] Lifting()
    {
        if (_up is not null)
            return _up;
        var levels = 1;
        while ((1 << levels) < _count)
            levels++;
        var up = new int[levels][];
        up[0] = new int[_count];
        for (var v = 0; v < _count; v++)
            up[0][v] = _idom[v] >= 0 ? _idom[v] : v;
        for (var k = 1; k < levels; k++)
        {
            up[k] = new int[_count];
            for (var v = 0; v < _count; v++)
                up[k][v] = up[k - 1][up[k - 1][v]];
        }
        return _up = up;
    }

    // ------------------------------------------------------------ may a gateway hold two tokens?

    /// <summary>
    /// Whether two tokens of the same scope instance may pass the gateway (and so take different branches) while
    /// the join waits: their lineages part at a fork (or a non-interrupting boundary event) whose two branches
    /// both lead to the gateway without being merged again by a synchronising join on the way, or at a fork after
    /// the gateway that leads back to it. Paths through the join itself do not count: a token that needs the join
    /// to fire first can never help it fire.
    /// </summary>
    private bool MayRunTwice(int x, int join)
    {
        var key = ((long)x << 32) | (uint)join;
        if (_mayRunTwice.TryGetValue(key, out var known))
            return known;

        var ancestors = Closure(x, _predecessors, join, stopAtJoins: false);
        var descendants = Closure(x, _successors, join, stopAtJoins: false);
        var unsynchronised = Closure(x, _predecessors, join, stopAtJoins: true);
        var result = false;
        foreach (var m in ancestors)
        {
            if (m >= _nodes.Count)
                continue; // flows and the root do not fork
            var node = _nodes[m];
            if (node.Kind == "boundaryEvent" && !node.CancelActivity)
            {
                result = true;
                break;
            }
            if (!Forks(node))
                continue;
            if (descendants.Contains(m))
            {
                result = true;
                break;
            }
            var branchesToX = _successors[m].Count(s => s == x || unsynchronised.Contains(s));
            if (branchesToX >= 2)
            {
                result = true;
                break;
            }
        }
        _mayRunTwice[key] = result;
        return result;
    }

    private bool IsSynchronisingJoin(int vertex) =>
        vertex < _nodes.Count && _nodes[vertex] is { Kind: "parallelGateway" or "inclusiveGateway" } node && node.Incoming.Count >= 2;

    /// <summary>Whether tokens leaving the node may be more than the tokens entering it.</summary>
    private static bool Forks(NodeInfo node) =>
        node.Kind is "parallelGateway" or "inclusiveGateway" or "complexGateway"
        || (node.Kind is not ("exclusiveGateway" or "eventBasedGateway") && node.Outgoing.Count >= 2)
        || node.Boundaries.Any(b => !b.CancelActivity);

    /// <summary>
    /// Vertices reachable from <paramref name="start"/> along <paramref name="edges"/>, never through
    /// <paramref name="excluded"/> or the root; with <paramref name="stopAtJoins"/> also never through a
    /// synchronising join (a parallel or inclusive gateway with several incoming flows), which turns the tokens of
    /// a fork's branches back into one.
    /// </summary>
    private HashSet<int> Closure(int start, List<int>[] edges, int excluded, bool stopAtJoins)
    {
        var seen = new HashSet<int>();
        var stack = new Stack<int>();
        stack.Push(start);
        while (stack.Count > 0)
        {
            var v = stack.Pop();
            foreach (var next in edges[v])
            {
                if (next == _root || next == excluded || (stopAtJoins && IsSynchronisingJoin(next)))
                    continue;
                if (seen.Add(next))
                    stack.Push(next);
            }
        }
        return seen;
    }
}
