// Taro compiles the app's TypeScript and JSX with Babel through its own preset.
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
}
