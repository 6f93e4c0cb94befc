import { describe, expect, it } from 'vitest';
import { mayHaveHardwareGpu, softwareAdapterReason } from '../src/adapter.js';
import { createWebGPUBackend } from '../src/index.js';
import { probeWebGPU, withWebGPU } from './webgpu-env.js';

const info = (vendor: string, architecture: string, description = '', device = '') => ({
  vendor,
  architecture,
  device,
  description,
});

describe("webgpu: adapter: 'hardware' skips software adapters", () => {
  it('recognizes SwiftShader, llvmpipe/lavapipe, WARP and fallback adapters', () => {
    expect(softwareAdapterReason(info('google', 'swiftshader'))).toMatch(/swiftshader/);
    expect(softwareAdapterReason(info('mesa', '', 'llvmpipe (LLVM 15.0.6, 256 bits)'))).toMatch(
      /llvmpipe/,
    );
    expect(softwareAdapterReason(info('mesa', '', 'lavapipe'))).toMatch(/lavapipe/);
    expect(softwareAdapterReason(info('microsoft', '', 'Microsoft Basic Render Driver'))).toMatch(
      /basic render/i,
    );
    expect(softwareAdapterReason({ ...info('x', 'y'), isFallbackAdapter: true })).toMatch(
      /fallback/,
    );
  });

  it('accepts hardware adapters', () => {
    expect(softwareAdapterReason(info('nvidia', 'hopper', 'NVIDIA H100 80GB HBM3'))).toBeNull();
    expect(softwareAdapterReason(info('apple', 'metal-3', 'Apple M2'))).toBeNull();
    expect(
      softwareAdapterReason(info('intel', 'gen-12lp', 'Intel(R) UHD Graphics 770')),
    ).toBeNull();
  });

  it('on Linux, needs a GPU device node before starting a device', () => {
    const fs = (paths: Record<string, string[] | true>) => ({
      existsSync: (p: string) => p in paths,
      readdirSync: (p: string) => {
        const entry = paths[p];
        return Array.isArray(entry) ? entry : [];
      },
    });
    expect(mayHaveHardwareGpu('linux', fs({}))).toBe(false);
    expect(mayHaveHardwareGpu('linux', fs({ '/dev/dri': ['card0'] }))).toBe(false);
    expect(mayHaveHardwareGpu('linux', fs({ '/dev/dri': ['card0', 'renderD128'] }))).toBe(true);
    expect(mayHaveHardwareGpu('linux', fs({ '/dev/nvidia0': true }))).toBe(true);
    expect(mayHaveHardwareGpu('linux', fs({ '/dev/dxg': true }))).toBe(true);
    expect(mayHaveHardwareGpu('darwin', fs({}))).toBe(true);
  });
});

await withWebGPU('webgpu adapter selection', () => {
  describe('webgpu: adapter selection on this machine', () => {
    it("with SwiftShader, adapter: 'hardware' rejects and says how to allow it", async () => {
      const probe = await probeWebGPU();
      if (!/swiftshader/i.test(probe.reason)) {
        console.warn(`[backend-webgpu] adapter is '${probe.reason}', not SwiftShader: not checked`);
        return;
      }
      await expect(createWebGPUBackend({ adapter: 'hardware' })).rejects.toThrow(
        /TAPEGRAD_WEBGPU=force/,
      );
      const any = await createWebGPUBackend({ adapter: 'any' });
      expect(softwareAdapterReason(any.channel.adapterInfo)).toMatch(
        /fallback adapter|swiftshader/,
      );
      any.dispose();
    });
  });
});
