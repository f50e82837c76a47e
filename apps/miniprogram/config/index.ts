import { defineConfig, type UserConfigExport } from '@tarojs/cli'

// Build-time constants (types/global.d.ts). The API base is where /mp/v1 is served: '' means the
// page's own origin (the H5 build behind a proxy, as in the browser test); the weapp build needs
// the API's https URL, which must also be a request domain allowed in the mini-program's settings.
const constants = {
  CHORUS_MP_API_BASE: JSON.stringify(process.env.CHORUS_MP_API_BASE ?? ''),
  CHORUS_MP_SUBSCRIBE_TEMPLATE_ID: JSON.stringify(process.env.CHORUS_MP_SUBSCRIBE_TEMPLATE_ID ?? ''),
}

if (process.env.TARO_ENV === 'weapp' && !process.env.CHORUS_MP_API_BASE) {
  console.warn('CHORUS_MP_API_BASE is not set: the mini-program will not reach the API (it needs an https URL).')
}

export default defineConfig<'webpack5'>(async (merge) => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'chorus-miniprogram',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV}`,
    plugins: [],
    defineConstants: constants,
    copy: { patterns: [], options: {} },
    framework: 'react',
    compiler: 'webpack5',
    // Taro's persistent webpack cache lives in node_modules/.cache and has served stale builds.
    cache: { enable: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      // Hash routes (/#/pages/index/index): any static server can serve the build.
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[hash:8].js',
        chunkFilename: 'js/[name].[chunkhash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[hash].css',
        chunkFilename: 'css/[name].[chunkhash].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
    },
  }
  return merge({}, config)
})
