/**
 * A new embedded database starts as a copy of an initialised cluster, `cluster.tar.br` beside this
 * file, instead of PGlite running initdb: initdb inside WASM takes about 4 s and 700 MB (a second
 * PostgreSQL instance, a copy of its heap, the cluster as a tar in memory), the copy 0.1 s and
 * 40 MB. The file is made by `deno task cluster` (tools/cluster.ts) with the PGlite of deno.json:
 * PGlite's own initdb, its clock and randomness fixed, packed in a fixed order — the same PGlite
 * gives the same bytes. A PGlite of another PostgreSQL version refuses the copy ("database files are
 * incompatible with server"), and lib/db/cluster_test.ts checks it against the installed PGlite.
 *
 * The archive is a POSIX ustar of the cluster's files (readable by `tar`), compressed by brotli.
 * It is unpacked as it is decompressed, in small pieces: 40 MB held at once would stay in the
 * process's memory (the allocator keeps it) for the rest of the run.
 */
import { concatArrays } from "./arrays.ts";
import { Readable } from "node:stream";
import { brotliDecompressSync, createBrotliDecompress } from "node:zlib";

export const CLUSTER_FILE = new URL("./cluster.tar.br", import.meta.url);

/** A file of a cluster: its path relative to the data directory, mode and bytes. */
export interface ClusterFile {
  path: string;
  mode: number;
  data: Uint8Array;
}

/** The cluster's uncompressed tar (for PGlite's loadDataDir). */
export async function clusterTar(): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(brotliDecompressSync(await Deno.readFile(CLUSTER_FILE)));
}

/**
 * Writes the cluster into `dir` (which holds no PG_VERSION yet): every file, PG_VERSION last, so a
 * copy cut short (kill -9) is not taken for a database: the next run copies it again over it.
 */
export async function unpackCluster(dir: string): Promise<void> {
  const compressed = await Deno.readFile(CLUSTER_FILE);
  const unpacker = new Unpacker(dir);
  for await (const chunk of Readable.from([compressed]).pipe(createBrotliDecompress())) {
    unpacker.push(chunk as Uint8Array);
  }
  unpacker.finish();
}

/**
 * A ustar stream written out as it arrives, PG_VERSION held back to the end. Synchronous writes: a
 * thousand small files, nothing else to do meanwhile (the directory is locked).
 */
class Unpacker {
  #rest: Uint8Array = new Uint8Array(0);
  #file: Deno.FsFile | null = null;
  /** Bytes of the current entry still to come, then of its padding. */
  #left = 0;
  #padding = 0;
  #version: { mode: number; parts: Uint8Array[] } | null = null;
  #inVersion = false;
  #ended = false;

  constructor(readonly dir: string) {}

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#rest.length > 0) {
      data = new Uint8Array(this.#rest.length + chunk.length);
      data.set(this.#rest);
      data.set(chunk, this.#rest.length);
      this.#rest = new Uint8Array(0);
    }
    for (let at = 0; at < data.length && !this.#ended;) {
      if (this.#left > 0) {
        const piece = data.subarray(at, at + Math.min(this.#left, data.length - at));
        if (this.#inVersion) this.#version!.parts.push(piece.slice());
        else writeAll(this.#file!, piece);
        at += piece.length;
        this.#left -= piece.length;
        if (this.#left === 0) this.#endEntry();
      } else if (this.#padding > 0) {
        const n = Math.min(this.#padding, data.length - at);
        at += n;
        this.#padding -= n;
      } else if (data.length - at < BLOCK) {
        this.#rest = data.slice(at);
        return;
      } else {
        const entry = parseHeader(data.subarray(at, at + BLOCK));
        at += BLOCK;
        if (entry === null) this.#ended = true;
        else this.#begin(entry);
      }
    }
  }

  /** Writes PG_VERSION: the cluster is whole. */
  finish(): void {
    if (!this.#ended || this.#version === null) {
      throw new Error("The embedded database's cluster archive is incomplete");
    }
    const { mode, parts } = this.#version;
    const data = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    parts.reduce((at, p) => (data.set(p, at), at + p.length), 0);
    Deno.writeFileSync(`${this.dir}/PG_VERSION`, data, { mode });
  }

  #begin(entry: TarEntry): void {
    const path = `${this.dir}/${entry.path}`;
    this.#padding = entry.directory ? 0 : (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (entry.directory) {
      Deno.mkdirSync(path, { recursive: true, mode: 0o700 });
      return;
    }
    this.#left = entry.size;
    this.#inVersion = entry.path === "PG_VERSION";
    if (this.#inVersion) this.#version = { mode: entry.mode, parts: [] };
    else {this.#file = Deno.openSync(path, {
        write: true,
        create: true,
        truncate: true,
        mode: entry.mode,
      });}
    if (this.#left === 0) this.#endEntry();
  }

  #endEntry(): void {
    this.#file?.close();
    this.#file = null;
    this.#inVersion = false;
  }
}

function writeAll(file: Deno.FsFile, data: Uint8Array): void {
  for (let at = 0; at < data.length;) at += file.writeSync(data.subarray(at));
}

interface TarEntry {
  path: string;
  mode: number;
  size: number;
  directory: boolean;
}

/** A ustar header block: a regular file or directory, null at the archive's end (a zero block). */
function parseHeader(block: Uint8Array): TarEntry | null {
  if (block[0] === 0) return null;
  const field = (at: number, length: number) =>
    DECODER.decode(block.subarray(at, at + length)).replace(/\0.*$/s, "");
  const octal = (at: number, length: number) => parseInt(field(at, length).trim() || "0", 8);
  const name = field(0, 100);
  const prefix = field(345, 155);
  const type = String.fromCharCode(block[156]!);
  const path = (prefix ? `${prefix}/${name}` : name).replace(/^\.\//, "").replace(/\/$/, "");
  if (path === "" || path === "." || path.split("/").includes("..")) {
    throw new Error(`The embedded database's cluster archive has a bad path: "${path}"`);
  }
  if (type !== "0" && type !== "\0" && type !== "5") {
    throw new Error(`The embedded database's cluster archive has an entry of type "${type}"`);
  }
  return { path, mode: octal(100, 8) & 0o777, size: octal(124, 12), directory: type === "5" };
}

const DECODER = new TextDecoder();
const DIRECTORY = 0o40000;
const BLOCK = 512;

/** The entries of a ustar archive (regular files and directories; paths without "./"). */
export function readTar(tar: Uint8Array): ClusterFile[] {
  const files: ClusterFile[] = [];
  for (let at = 0; at + BLOCK <= tar.length;) {
    const entry = parseHeader(tar.subarray(at, at + BLOCK));
    if (entry === null) break;
    const start = at + BLOCK;
    const size = entry.directory ? 0 : entry.size;
    files.push({
      path: entry.path,
      mode: entry.mode | (entry.directory ? DIRECTORY : 0),
      data: tar.slice(start, start + size),
    });
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}

/** A ustar archive of `files` in the order given (owner root, time 0: the same files, the same bytes). */
export function writeTar(files: readonly ClusterFile[]): Uint8Array {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const file of files) {
    const isDir = (file.mode & DIRECTORY) !== 0;
    const header = new Uint8Array(BLOCK);
    const put = (at: number, length: number, text: string) => {
      const bytes = encoder.encode(text);
      if (bytes.length > length) throw new Error(`tar: "${text}" is too long`);
      header.set(bytes, at);
    };
    const num = (at: number, length: number, value: number) =>
      put(at, length, value.toString(8).padStart(length - 1, "0"));
    const path = isDir ? `${file.path}/` : file.path;
    if (encoder.encode(path).length <= 100) put(0, 100, path);
    else {
      const cut = path.lastIndexOf("/", path.length - 2);
      put(345, 155, path.slice(0, cut));
      put(0, 100, path.slice(cut + 1));
    }
    num(100, 8, file.mode & 0o777);
    num(108, 8, 0);
    num(116, 8, 0);
    num(124, 12, isDir ? 0 : file.data.length);
    num(136, 12, 0);
    put(148, 8, "        ");
    put(156, 1, isDir ? "5" : "0");
    put(257, 6, "ustar");
    put(263, 2, "00");
    const sum = header.reduce((n, b) => n + b, 0);
    put(148, 8, `${sum.toString(8).padStart(6, "0")}\0 `);
    parts.push(header);
    if (!isDir) {
      parts.push(file.data);
      const pad = (BLOCK - (file.data.length % BLOCK)) % BLOCK;
      if (pad) parts.push(new Uint8Array(pad));
    }
  }
  parts.push(new Uint8Array(2 * BLOCK));
  return concatArrays(parts, (n) => new Uint8Array(n));
}

/** Every file and directory under `dir`, sorted by path (directories before their files). */
export async function readCluster(dir: string): Promise<ClusterFile[]> {
  const files: ClusterFile[] = [];
  const walk = async (relative: string) => {
    const names: Deno.DirEntry[] = [];
    for await (const entry of Deno.readDir(relative ? `${dir}/${relative}` : dir)) {
      names.push(entry);
    }
    names.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of names) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        files.push({ path, mode: 0o700 | DIRECTORY, data: new Uint8Array() });
        await walk(path);
      } else if (entry.isFile) {
        files.push({ path, mode: 0o600, data: await Deno.readFile(`${dir}/${path}`) });
      }
    }
  };
  await walk("");
  return files;
}
