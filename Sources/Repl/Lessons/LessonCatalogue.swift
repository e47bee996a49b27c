// Repl room: every lesson shipped with the executable, parsed and validated at start-up.

import Lessons

/// The lessons in course order.
public struct LessonCatalogue: Sendable {
    public var lessons: [Lesson]

    public init(lessons: [Lesson]) { self.lessons = lessons }

    /// Parses the files compiled into the binary. A broken file is a programmer error caught
    /// by the lesson validation test; at run time it is reported and skipped, never fatal.
    public static func bundled() -> (LessonCatalogue, [LessonFileError]) {
        load(lessonFiles)
    }

    public static func load(_ files: [(name: String, text: String)]) -> (LessonCatalogue, [LessonFileError]) {
        var lessons: [Lesson] = []
        var errors: [LessonFileError] = []
        for file in files {
            do {
                lessons.append(try LessonParser.parse(file.text, file: "Lessons/Files/" + file.name))
            } catch {
                errors.append(error)
            }
        }
        return (LessonCatalogue(lessons: lessons), errors)
    }

    public func lesson(_ id: String) -> Lesson? { lessons.first { $0.id == id } }
}
