// touch: reads every input element and writes every output element of any set of arrays.
// Each run's outputs are a hash of that run's inputs and the element index, so results
// are checked bit for bit against the CPU twin (src/kernels/touch.ts). The functions
// `touch_run` and `touch_fixed` are generated for the scenario's arrays and appended.

const kWorkgroupSize = 64u;

// lowbias32; src/core/hash.ts has the same function.
fn hash32(v: u32) -> u32 {
  var x = v;
  x = (x ^ (x >> 16u)) * 0x7feb352du;
  x = (x ^ (x >> 15u)) * 0x846ca68bu;
  return x ^ (x >> 16u);
}

fn mix32(digest: u32, value: u32) -> u32 {
  return hash32((digest ^ value) + 0x9e3779b9u);
}

// A float output: a multiple of 1/8 in [-128, 128), exact in f32 and f16 alike.
fn touch_float(h: u32) -> f32 {
  return f32(h & 0x7ffu) * 0.125 - 128.0;
}

@compute @workgroup_size(kWorkgroupSize)
fn main(@builtin(global_invocation_id) gid: vec3u) {
  let r = gid.x;
  if (r >= chunk_runs) {
    return;
  }
  touch_run(r);
  // Fixed outputs depend on fixed inputs only, so the first run of every chunk writes
  // the same values: idempotent across chunks.
  if (r == 0u) {
    touch_fixed();
  }
}
