import './sourcemap-register.cjs';import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 943:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   VO: () => (/* binding */ parseCleanupState),
/* harmony export */   XN: () => (/* binding */ CLEANUP_STATE_KEY)
/* harmony export */ });
/* unused harmony export emptyCleanupState */
// What main created and post must remove. Kept free of @actions/core so the
// post bundle starts in ~40 ms instead of ~100 ms (it runs on every job).
/** core.saveState key; the runner hands it to post as STATE_cleanup. */
const CLEANUP_STATE_KEY = 'cleanup';
function emptyCleanupState() {
    return { builders: [], dirs: [], logins: [] };
}
function parseCleanupState(raw) {
    if (!raw)
        return emptyCleanupState();
    const parsed = JSON.parse(raw);
    return {
        builders: parsed.builders ?? [],
        dirs: parsed.dirs ?? [],
        logins: parsed.logins ?? []
    };
}


/***/ }),

/***/ 482:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  T3: () => (/* binding */ docker)
});

// UNUSED EXPORTS: buildxPlugin, pluginDirs

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
;// CONCATENATED MODULE: external "node:os"
const external_node_os_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");
;// CONCATENATED MODULE: external "node:path"
const external_node_path_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");
;// CONCATENATED MODULE: external "node:child_process"
const external_node_child_process_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");
;// CONCATENATED MODULE: ./src/exec.ts
// The one way this action starts a process: an argument array (never a shell
// string), optional stdin, a hard timeout, and stdout/stderr lines streamed to
// the caller while they are also collected.

function execute(cmd, args, opts = {}) {
    return new Promise((resolve, reject) => {
        const child = (0,external_node_child_process_namespaceObject.spawn)(cmd, args, {
            env: { ...process.env, ...opts.env },
            stdio: ['pipe', 'pipe', 'pipe']
        });
        const out = collect(child.stdout, opts.onLine);
        const err = collect(child.stderr, opts.onLine);
        let timedOut = false;
        const timer = opts.timeoutMs
            ? setTimeout(() => {
                timedOut = true;
                child.kill('SIGKILL');
            }, opts.timeoutMs)
            : undefined;
        child.on('error', error => {
            clearTimeout(timer);
            reject(new Error(`Could not run ${cmd}: ${error.message}`));
        });
        child.on('close', code => {
            clearTimeout(timer);
            resolve({ code: code ?? -1, stdout: out.text(), stderr: err.text(), timedOut });
        });
        child.stdin.end(opts.input ?? '');
    });
}
function collect(stream, onLine) {
    let text = '';
    let pending = '';
    stream.on('data', (chunk) => {
        const s = chunk.toString();
        text += s;
        if (!onLine)
            return;
        const lines = (pending + s).split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(onLine);
    });
    stream.on('end', () => {
        if (onLine && pending)
            onLine(pending);
    });
    return { text: () => text };
}

;// CONCATENATED MODULE: ./src/docker.ts
// Running the docker CLI, with one shortcut: `docker buildx ...` runs the
// buildx CLI plugin binary directly when it can be found. Through docker, each
// call pays a docker CLI start and a scan of every plugin (~55 ms) before
// buildx starts at all, and a build makes three or four such calls.




/** Where the docker CLI looks for plugins on Linux, in its order (user dir first). */
function pluginDirs(env) {
    const userDir = (0,external_node_path_namespaceObject.join)(env.DOCKER_CONFIG || (0,external_node_path_namespaceObject.join)((0,external_node_os_namespaceObject.homedir)(), '.docker'), 'cli-plugins');
    return [
        userDir,
        '/usr/local/lib/docker/cli-plugins',
        '/usr/local/libexec/docker/cli-plugins',
        '/usr/lib/docker/cli-plugins',
        '/usr/libexec/docker/cli-plugins'
    ];
}
let docker_plugin;
/** The docker-buildx binary docker itself would run, or '' (then `docker buildx` is used). */
function buildxPlugin(env = process.env) {
    docker_plugin ??=
        pluginDirs(env)
            .map(dir => (0,external_node_path_namespaceObject.join)(dir, 'docker-buildx'))
            .find(p => (0,external_node_fs_.existsSync)(p)) ?? '';
    return docker_plugin;
}
/** Runs `docker <args>`; `buildx` subcommands go to the plugin binary when found. */
function docker(args, opts = {}) {
    const direct = args[0] === 'buildx' ? buildxPlugin() : '';
    return direct ? execute(direct, args.slice(1), opts) : execute('docker', args, opts);
}


/***/ }),

/***/ 661:
/***/ ((module, __webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   t: () => (/* binding */ cleanup)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _docker_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(482);
/* harmony import */ var _cleanup_state_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(943);
// The post step: remove what main created (builders, temp folders, logins).
// Deliberately tiny (no @actions/core): it runs at the end of every job.



async function cleanup(env = process.env) {
    const state = (0,_cleanup_state_js__WEBPACK_IMPORTED_MODULE_2__/* .parseCleanupState */ .VO)(env[`STATE_${_cleanup_state_js__WEBPACK_IMPORTED_MODULE_2__/* .CLEANUP_STATE_KEY */ .XN}`]);
    for (const dir of state.dirs)
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(dir, { recursive: true, force: true });
    await Promise.all([
        ...state.builders.map(name => quietly(['buildx', 'rm', '--force', name])),
        ...state.logins.map(registry => quietly(['logout', registry]))
    ]);
}
async function quietly(args) {
    const result = await (0,_docker_js__WEBPACK_IMPORTED_MODULE_1__/* .docker */ .T3)(args, { timeoutMs: 60_000 });
    const what = `docker ${args.join(' ')}`;
    if (result.code === 0)
        console.log(`${what}: done`);
    // A workflow command, written by hand here (see the header comment).
    else
        console.log(`::warning::${what} failed: ${result.stderr.trim().replace(/\n/g, '%0A')}`);
}
await cleanup();

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/asset-relocator-loader */
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = decodeURIComponent(new URL('.', import.meta.url).pathname).slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(661);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ var __webpack_exports__cleanup = __webpack_exports__.t;
/******/ export { __webpack_exports__cleanup as cleanup };
/******/ 

//# sourceMappingURL=index.js.map