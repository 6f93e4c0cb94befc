import { existsSync } from 'node:fs';
import { defineTapegradProject } from '../../vitest.shared.ts';

// Without a GPU, Dawn runs on SwiftShader's Vulkan driver, which Debian's `chromium`
// package ships (see README.md). Use it unless the environment names another driver.
const swiftshader = '/usr/lib/chromium/vk_swiftshader_icd.json';
if (!process.env.VK_ICD_FILENAMES && existsSync(swiftshader))
  process.env.VK_ICD_FILENAMES = swiftshader;

export default defineTapegradProject(import.meta.dirname);
