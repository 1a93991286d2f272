/** Chromium's directory holding its Vulkan loader and SwiftShader driver. */
export const kChromiumDir: string;
/** The ICD file that points the Vulkan loader at SwiftShader. */
export const kSwiftShaderIcd: string;
/** `env` with Chromium's Vulkan loader on the library path when the system has none. */
export function withVulkanLoader(env?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
/** Runs the TypeScript file `entry` with `args` through tsx in a child that can reach Vulkan, passing on SIGINT, SIGTERM and SIGHUP; resolves to its exit code. */
export function runTypeScript(entry: string, args: string[]): Promise<number>;
