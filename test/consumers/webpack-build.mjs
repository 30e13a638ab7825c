/**
 * `webpack --mode production` in the current folder, without webpack-cli: webpack's Node API with
 * no configuration but the mode — entry ./src/index.js, output dist/main.js, every other option
 * webpack's default. Prints the emitted assets and any warning; exits 1 on errors.
 * Run by test/consumers/harness.ts from a consumer's folder (webpack comes from this repository).
 */
import webpack from 'webpack';

webpack({ mode: 'production', context: process.cwd() }, (err, stats) => {
  if (err) {
    console.error(err.stack ?? String(err));
    process.exit(1);
  }
  console.log(stats.toString({ preset: 'errors-warnings', assets: true, colors: false }));
  process.exit(stats.hasErrors() ? 1 : 0);
});
