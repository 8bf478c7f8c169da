// node-gyp-build ships no types: the part load.ts uses.
declare module 'node-gyp-build' {
  interface NodeGypBuild {
    (dir: string): unknown;
    /** The addon's path: build/Release, build/Debug, then prebuilds/<platform>-<arch>/; throws when none fits. */
    resolve(dir: string): string;
  }
  const load: NodeGypBuild;
  export default load;
}
