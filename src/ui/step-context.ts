/**
 * The chunk being stepped through, shared with every element that highlights it (the
 * plan strip, the stepper, and the memory timeline and event log when they consume it)
 * through `@lit/context`, instead of a property threaded through each owner.
 *
 * The value is the chunk index counted from 0, as the trace's `chunk-begin` and the
 * fault fields count, or undefined when nothing is being stepped through.
 */
import { createContext } from '@lit/context';

/** Context key of the stepped chunk; `<chunkscope-app>` provides it. */
export const kStepContext = createContext<number | undefined>(Symbol('chunkscope-stepped-chunk'));
