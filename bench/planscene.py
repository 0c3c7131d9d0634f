"""Planning scenes (`osprey.plan.scene`, docs/formats/plan.md) in Python, for the planning benchmark.

`Scene` reads a scene file and answers the one question every planner needs, "which of these
configurations are in collision?", with the scene's own rules:

- task space (no `robot` key): a point is in collision when it lies in the interior of an obstacle, deeper
  than `TASK_TOL` (a path may slide along an obstacle's boundary, as Osprey's closed regions allow);
- planar arm (`"robot": {"type": "planar_arm", ...}`): with θᵢ = q₁ + … + qᵢ, p₀ = base and
  pᵢ = pᵢ₋₁ + lᵢ (cos θᵢ, sin θᵢ), link i is the capsule of radius r around the segment pᵢ₋₁pᵢ; a
  configuration is in collision when a link comes closer than r to a workspace obstacle (distance 0 when
  they meet), or, with `self_collision` (default true), links i and j ≥ i + 2 come closer than 2r.

Everything is vectorized over a batch of configurations (an (m, d) array). Used by bench/plan.py and
bench/make_plan_scenes.py.
"""
import heapq
import json
from math import comb

import numpy as np
from scipy.spatial import ConvexHull

TASK_TOL = 1e-6  # a point deeper than this inside an obstacle is in collision (boundary contact is free)
ARM_TOL = 1e-9   # a link closer than r − ARM_TOL to an obstacle (2r − ARM_TOL to a link) is in collision


def box_hrep(lb, ub):
    """(A, b) of the box lb ≤ x ≤ ub, unit-normal rows."""
    d = len(lb)
    eye = np.eye(d)
    return np.vstack([eye, -eye]), np.concatenate([np.asarray(ub, float), -np.asarray(lb, float)])


def normalized(A, b):
    """(A, b) with unit-norm rows (zero rows dropped), so A x − b is a signed distance to each face."""
    A, b = np.asarray(A, float), np.asarray(b, float)
    norms = np.linalg.norm(A, axis=1)
    keep = norms > 0
    return A[keep] / norms[keep, None], b[keep] / norms[keep]


def set_hrep(s):
    """(A, b) with unit-norm rows of a bounded polyhedral scene set: box, hpolyhedron or vpolytope."""
    kind = s["type"]
    if kind == "box":
        return box_hrep(s["lb"], s["ub"])
    if kind == "hpolyhedron":
        return normalized(s["A"], s["b"])
    if kind == "vpolytope":
        hull = ConvexHull(np.asarray(s["vertices"], float))
        return normalized(hull.equations[:, :-1], -hull.equations[:, -1])
    raise ValueError(f"obstacle type {kind!r} is not supported by the benchmark (box, hpolyhedron, vpolytope)")


def polygon_vertices(s):
    """The vertices of a bounded 2-D scene set (box, vpolytope, hpolyhedron), counter-clockwise."""
    kind = s["type"]
    if kind == "box":
        (x0, y0), (x1, y1) = s["lb"], s["ub"]
        points = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float)
    elif kind == "vpolytope":
        points = np.asarray(s["vertices"], float)
    elif kind == "hpolyhedron":  # every feasible intersection of two boundary lines
        A, b = normalized(s["A"], s["b"])
        found = []
        for i in range(len(b)):
            for j in range(i + 1, len(b)):
                M = A[[i, j]]
                if abs(np.linalg.det(M)) > 1e-12:
                    x = np.linalg.solve(M, b[[i, j]])
                    if np.all(A @ x <= b + 1e-9):
                        found.append(x)
        points = np.array(found, float)
    else:
        raise ValueError(f"obstacle type {kind!r} is not supported for arm scenes (box, vpolytope, hpolyhedron)")
    if len(points) < 3:
        raise ValueError(f"{kind} obstacle is not a bounded 2-D polygon")
    hull = ConvexHull(points)
    return points[hull.vertices]  # scipy orders 2-D hull vertices counter-clockwise


def point_segment_distance(p, a, b):
    """Distance from points p to segments ab (arrays (..., 2), broadcast)."""
    ab = b - a
    denom = np.sum(ab * ab, axis=-1)
    t = np.clip(np.sum((p - a) * ab, axis=-1) / np.where(denom > 0, denom, 1.0), 0.0, 1.0)
    return np.linalg.norm(a + t[..., None] * ab - p, axis=-1)


def cross2(u, v):
    return u[..., 0] * v[..., 1] - u[..., 1] * v[..., 0]


def segment_distance(a, b, c, d):
    """Distance between 2-D segments ab and cd (arrays (..., 2), broadcast): 0 when they cross, else the
    least of the four endpoint-to-segment distances (exact in the plane)."""
    o1, o2 = cross2(b - a, c - a), cross2(b - a, d - a)
    o3, o4 = cross2(d - c, a - c), cross2(d - c, b - c)
    crossing = (o1 * o2 < 0) & (o3 * o4 < 0)
    dist = np.minimum(np.minimum(point_segment_distance(c, a, b), point_segment_distance(d, a, b)),
                      np.minimum(point_segment_distance(a, c, d), point_segment_distance(b, c, d)))
    return np.where(crossing, 0.0, dist)


class PlanarArm:
    """A planar serial arm of capsule links (the `robot` of an arm scene)."""

    def __init__(self, robot, obstacles):
        self.base = np.asarray(robot["base"], float)
        self.lengths = np.asarray(robot["link_lengths"], float)
        self.radius = float(robot["link_radius"])
        self.self_collision = bool(robot.get("self_collision", True))
        self.n = len(self.lengths)
        polygons = [polygon_vertices(o) for o in obstacles]
        # Every obstacle edge (start, end) with its obstacle index, and every obstacle's half-planes.
        self.edge_start = np.concatenate([p for p in polygons]) if polygons else np.zeros((0, 2))
        self.edge_end = np.concatenate([np.roll(p, -1, axis=0) for p in polygons]) if polygons else np.zeros((0, 2))
        self.edge_owner = np.concatenate([np.full(len(p), k) for k, p in enumerate(polygons)]) if polygons \
            else np.zeros(0, int)
        self.edge_offsets = np.cumsum([0] + [len(p) for p in polygons])[:-1]
        tangent = self.edge_end - self.edge_start
        normal = np.stack([tangent[:, 1], -tangent[:, 0]], axis=1)  # outward for counter-clockwise polygons
        normal /= np.linalg.norm(normal, axis=1, keepdims=True) if len(normal) else 1.0
        self.face_normal, self.face_offset = normal, np.sum(normal * self.edge_start, axis=1)
        self.num_obstacles = len(polygons)
        self.pairs = [(i, j) for i in range(self.n) for j in range(i + 2, self.n)] if self.self_collision else []

    def points(self, Q):
        """Joint positions p₀ … pₙ of configurations Q (m, n): an (m, n + 1, 2) array."""
        theta = np.cumsum(np.asarray(Q, float), axis=1)
        steps = self.lengths[None, :, None] * np.stack([np.cos(theta), np.sin(theta)], axis=-1)
        tips = self.base + np.cumsum(steps, axis=1)
        return np.concatenate([np.broadcast_to(self.base, (len(Q), 1, 2)), tips], axis=1)

    def in_collision(self, Q):
        P = self.points(Q)
        a, b = P[:, :-1], P[:, 1:]  # links (m, n, 2)
        hit = np.zeros(len(Q), bool)
        if self.num_obstacles:
            # Distance of each link to each obstacle edge (m, n, E), then per obstacle.
            dist = segment_distance(a[:, :, None], b[:, :, None], self.edge_start, self.edge_end)
            per_obstacle = np.minimum.reduceat(dist, self.edge_offsets, axis=2)
            # A link with an end inside an obstacle meets it.
            side = np.einsum("mpk,ek->mpe", P, self.face_normal) - self.face_offset  # (m, n + 1, E)
            inside = np.maximum.reduceat(side, self.edge_offsets, axis=2) <= 0  # (m, n + 1, obstacles)
            meets = inside[:, :-1] | inside[:, 1:] | (per_obstacle < self.radius - ARM_TOL)
            hit |= meets.any(axis=(1, 2))
        for i, j in self.pairs:
            hit |= segment_distance(a[:, i], b[:, i], a[:, j], b[:, j]) < 2 * self.radius - ARM_TOL
        return hit


class Scene:
    """A parsed `osprey.plan.scene` file with its collision test."""

    def __init__(self, path):
        with open(path) as f:
            data = json.load(f)
        if data.get("format") != "osprey.plan.scene" or data.get("version") != 1:
            raise ValueError(f"{path}: not an osprey.plan.scene version 1 file")
        self.data = data
        self.lb = np.asarray(data["domain"]["lb"], float)
        self.ub = np.asarray(data["domain"]["ub"], float)
        self.dim = len(self.lb)
        self.start = np.asarray(data["start"], float)
        self.goal = np.asarray(data["goal"], float)
        vb = data.get("velocity_bounds")
        self.velocity_bounds = None if vb is None else (np.asarray(vb["lb"], float), np.asarray(vb["ub"], float))
        self.obstacles = data["obstacles"]
        robot = data.get("robot")
        self.arm = None
        if robot is not None:
            if robot.get("type") != "planar_arm":
                raise ValueError(f"{path}: robot type {robot.get('type')!r} is not supported")
            self.arm = PlanarArm(robot, self.obstacles)
            if self.arm.n != self.dim:
                raise ValueError(f"{path}: {self.arm.n} links but a domain of dimension {self.dim}")
        else:
            hreps = [set_hrep(o) for o in self.obstacles]
            self.face_A = np.vstack([A for A, _ in hreps]) if hreps else np.zeros((0, self.dim))
            self.face_b = np.concatenate([b for _, b in hreps]) if hreps else np.zeros(0)
            self.face_offsets = np.cumsum([0] + [len(b) for _, b in hreps])[:-1]

    @property
    def is_arm(self):
        return self.arm is not None

    def is_box_2d(self):
        """True for a 2-D task-space scene whose obstacles are all boxes (it has a visibility-graph optimum)."""
        return not self.is_arm and self.dim == 2 and all(o["type"] == "box" for o in self.obstacles)

    def in_collision(self, Q):
        """A boolean array: which rows of Q (m, d) are in collision (outside the domain counts too)."""
        Q = np.atleast_2d(np.asarray(Q, float))
        outside = np.any((Q < self.lb - TASK_TOL) | (Q > self.ub + TASK_TOL), axis=1)
        if self.is_arm:
            return outside | self.arm.in_collision(Q)
        if not len(self.face_b):
            return outside
        depth = np.maximum.reduceat(Q @ self.face_A.T - self.face_b, self.face_offsets, axis=1)
        return outside | np.any(depth < -TASK_TOL, axis=1)

    def speed_limits(self, default_speed=1.0):
        """Per-coordinate (negative, positive) speed limits: the velocity bounds, else ±default_speed."""
        if self.velocity_bounds is None:
            v = np.full(self.dim, float(default_speed))
            return v, v
        lb, ub = self.velocity_bounds
        return -lb, ub


def densify(path, step):
    """The polyline `path` (k, d) resampled so consecutive points are at most `step` apart (ends kept)."""
    path = np.asarray(path, float)
    out = [path[:1]]
    for p, q in zip(path[:-1], path[1:]):
        n = max(1, int(np.ceil(np.linalg.norm(q - p) / step)))
        out.append(p + np.linspace(0, 1, n + 1)[1:, None] * (q - p))
    return np.concatenate(out)


def polyline_length(points):
    """Σ ‖Δq‖ over consecutive points."""
    points = np.asarray(points, float)
    return float(np.sum(np.linalg.norm(np.diff(points, axis=0), axis=1))) if len(points) > 1 else 0.0


def polyline_duration(points, speed_neg, speed_pos):
    """Time to follow the polyline with every straight segment at the speed bound: Σ maxᵢ |Δqᵢ| / vmaxᵢ,
    with vmaxᵢ the positive or negative bound of coordinate i by the sign of Δqᵢ."""
    delta = np.diff(np.asarray(points, float), axis=0)
    limits = np.where(delta >= 0, speed_pos, speed_neg)
    return float(np.sum(np.max(np.abs(delta) / limits, axis=1))) if len(delta) else 0.0


def bezier_points(control_points, samples):
    """Points of the Bézier curve with these control points ((k + 1, d)) at `samples` values of s in [0, 1]."""
    P = np.asarray(control_points, float)
    n = len(P) - 1
    s = np.linspace(0.0, 1.0, samples)[:, None]
    return sum(comb(n, k) * s ** k * (1 - s) ** (n - k) * P[k] for k in range(n + 1))


def visibility_shortest_path(scene):
    """Length and points of the exact shortest start–goal path of a 2-D box scene: Dijkstra on the visibility
    graph over start, goal and the box corners that lie inside the domain and outside every box's interior.
    A segment is an edge unless it passes through a box's interior (sliding along a boundary is allowed)."""
    boxes = [(np.asarray(o["lb"], float), np.asarray(o["ub"], float)) for o in scene.obstacles]
    nodes = [scene.start, scene.goal]
    for lb, ub in boxes:
        for x in (lb[0], ub[0]):
            for y in (lb[1], ub[1]):
                c = np.array([x, y])
                if np.all(c >= scene.lb) and np.all(c <= scene.ub) and not scene.in_collision(c)[0]:
                    nodes.append(c)

    def blocked(p, q):
        for lb, ub in boxes:  # clip the segment p + t (q − p) to the closed box, then test the clip's midpoint
            t0, t1, d = 0.0, 1.0, q - p
            for i in range(2):
                if abs(d[i]) < 1e-15:
                    if p[i] <= lb[i] or p[i] >= ub[i]:
                        t0, t1 = 1.0, 0.0
                        break
                else:
                    a, b = (lb[i] - p[i]) / d[i], (ub[i] - p[i]) / d[i]
                    t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
            if t1 - t0 > 1e-12:
                m = p + 0.5 * (t0 + t1) * d
                if np.all(m > lb + TASK_TOL) and np.all(m < ub - TASK_TOL):
                    return True
        return False

    k = len(nodes)
    dist, prev, done = [np.inf] * k, [-1] * k, [False] * k
    dist[0] = 0.0
    heap = [(0.0, 0)]
    while heap:
        d, u = heapq.heappop(heap)
        if done[u]:
            continue
        done[u] = True
        if u == 1:
            break
        for v in range(k):
            if not done[v]:
                w = float(np.linalg.norm(nodes[v] - nodes[u]))
                if d + w < dist[v] and not blocked(nodes[u], nodes[v]):
                    dist[v], prev[v] = d + w, u
                    heapq.heappush(heap, (dist[v], v))
    if not np.isfinite(dist[1]):
        return None, None
    path, u = [], 1
    while u != -1:
        path.append(nodes[u])
        u = prev[u]
    return dist[1], np.array(path[::-1])
