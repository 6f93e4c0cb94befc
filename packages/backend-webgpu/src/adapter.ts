/**
 * Which adapters count as hardware: `webgpu({ adapter: 'hardware' })` (what the `tapegrad`
 * umbrella registers) skips software renderers, which are slower than the wasm backend.
 */
import type { AdapterSummary } from './channel.js';

/** Software WebGPU/Vulkan/D3D implementations, by the names their adapters report. */
const SOFTWARE = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render|\bwarp\b/i;

/** Why an adapter is a software renderer, or null for a hardware one. */
export function softwareAdapterReason(info: AdapterSummary): string | null {
  if (info.isFallbackAdapter) return 'the implementation reports a fallback adapter';
  const names = [info.vendor, info.architecture, info.device, info.description].join(' ');
  const match = SOFTWARE.exec(names);
  return match ? `the adapter is ${match[0]}, a software renderer` : null;
}

/** The few Node APIs the GPU check reads. */
interface NodeFs {
  existsSync(path: string): boolean;
  readdirSync(path: string): string[];
}

/**
 * Whether this Node process may see a hardware GPU, without starting a device: on Linux a GPU
 * needs a device node (DRM render node, NVIDIA, or WSL's /dev/dxg); other systems may have one.
 */
export function mayHaveHardwareGpu(platform: string, fs: NodeFs): boolean {
  if (platform !== 'linux') return true;
  if (fs.existsSync('/dev/nvidia0') || fs.existsSync('/dev/dxg')) return true;
  if (!fs.existsSync('/dev/dri')) return false;
  return fs.readdirSync('/dev/dri').some((name) => name.startsWith('renderD'));
}
