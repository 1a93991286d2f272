// axpy: y = a·x + y, one run per element of the ["runs"] arrays x and y.
// Contiguous and memory-bound: the simplest chunked kernel.

const kWorkgroupSize = 64u;

override a: f32 = 2.5;

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= chunk_runs) {
    return;
  }
  // y_t(a) truncates toward zero for integer arrays; the CPU twin does the same.
  store_y(r, y_t(a) * x_t(load_x(r)) + load_y(r));
}
