// lorenz-rk4: a batch of forced Lorenz systems, one run per thread, fixed-step RK4.
//
//   dx/dt = sigma (y − x) + f(t)     f: the driver, a piecewise cubic over 64 segments
//   dy/dt = x (rho − z) − y             of [0, steps·dt), coefficients shared by all runs
//   dz/dt = x y − beta z                (driver_coefficients [64, 4], a fixed array)
//
// Per run: initial_values [3, runs], parameters [3, runs] = (sigma, rho, beta).
// Output: state [steps / save_every, 3, runs] (chunk axis last: a strided chunk) and
// status [runs]: 0 finished, 1 the state left the finite range and was frozen there.
// src/kernels/lorenz-rk4.ts is the CPU twin; keep the two in step.

const kWorkgroupSize = 64u;
const kSegments = 64u;
const kLimit = 1e30;

override steps: u32;
override dt: f32;
override save_every: u32;

fn driver(t: f32) -> f32 {
  let position = t * (f32(kSegments) / (f32(steps) * dt));
  let segment = min(u32(max(position, 0.0)), kSegments - 1u);
  let u = position - f32(segment);
  let c = segment * 4u;
  let c0 = load_driver_coefficients(c);
  let c1 = load_driver_coefficients(c + 1u);
  let c2 = load_driver_coefficients(c + 2u);
  let c3 = load_driver_coefficients(c + 3u);
  return c0 + u * (c1 + u * (c2 + u * c3));
}

// `forcing` is driver(t) at the stage's time: computed once per step and time, since
// RK4's two middle stages share t + dt/2.
fn deriv(s: vec3f, p: vec3f, forcing: f32) -> vec3f {
  return vec3f(
    p.x * (s.y - s.x) + forcing,
    s.x * (p.y - s.z) - s.y,
    s.x * s.y - p.z * s.z,
  );
}

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= chunk_runs) {
    return;
  }
  var s = vec3f(
    load_initial_values(initial_values_index(0u, r, 0u)),
    load_initial_values(initial_values_index(1u, r, 0u)),
    load_initial_values(initial_values_index(2u, r, 0u)),
  );
  let p = vec3f(
    load_parameters(parameters_index(0u, r, 0u)),
    load_parameters(parameters_index(1u, r, 0u)),
    load_parameters(parameters_index(2u, r, 0u)),
  );
  var status = 0u;
  let half_dt = 0.5 * dt;
  for (var step = 0u; step < steps; step++) {
    if (status == 0u) {
      let t = f32(step) * dt;
      let f_half = driver(t + half_dt);
      let k1 = deriv(s, p, driver(t));
      let k2 = deriv(s + half_dt * k1, p, f_half);
      let k3 = deriv(s + half_dt * k2, p, f_half);
      let k4 = deriv(s + dt * k3, p, driver(t + dt));
      let next = s + (dt / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
      // NaN fails every comparison, so this also catches NaN.
      if (all(abs(next) < vec3f(kLimit))) {
        s = next;
      } else {
        status = 1u;
      }
    }
    if ((step + 1u) % save_every == 0u) {
      let save = (step + 1u) / save_every - 1u;
      store_state(state_index(save * 3u, r, 0u), s.x);
      store_state(state_index(save * 3u + 1u, r, 0u), s.y);
      store_state(state_index(save * 3u + 2u, r, 0u), s.z);
    }
  }
  store_status(r, status_t(status));
}
