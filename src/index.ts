// Entry point of the main step (the post step is post.ts, its own bundle).
import {run} from './main.js'

await run()
