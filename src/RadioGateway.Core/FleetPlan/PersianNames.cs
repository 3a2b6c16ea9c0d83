using System.Globalization;
using System.Text;

namespace RadioGateway.Core.FleetPlan;

/// <summary>
/// Fits a name to what a radio displays: Persian letters transliterated to Latin (the table below, a simplified
/// romanisation without diacritics) for radios that show only ASCII, then cut to the radio's length. Each change
/// is reported so the export can say what the radio will show.
/// </summary>
public static class PersianNames
{
    /// <summary>
    /// Persian letter → Latin. Short vowels are not written in Persian; و and ی are read as vowels (u, i) inside a
    /// word and as consonants (v, y) at its start; ه at the end of a word is the vowel e; ain starting a word is a,
    /// elsewhere it is dropped like hamza;
    /// the zero-width non-joiner becomes nothing, Persian and Arabic-Indic digits become 0–9.
    /// </summary>
    public static IReadOnlyDictionary<char, string> Table { get; } = new Dictionary<char, string>
    {
        ['ا'] = "a", ['آ'] = "a", ['أ'] = "a", ['إ'] = "e", ['ب'] = "b", ['پ'] = "p", ['ت'] = "t", ['ث'] = "s",
        ['ج'] = "j", ['چ'] = "ch", ['ح'] = "h", ['خ'] = "kh", ['د'] = "d", ['ذ'] = "z", ['ر'] = "r", ['ز'] = "z",
        ['ژ'] = "zh", ['س'] = "s", ['ش'] = "sh", ['ص'] = "s", ['ض'] = "z", ['ط'] = "t", ['ظ'] = "z", ['ع'] = "",
        ['غ'] = "gh", ['ف'] = "f", ['ق'] = "gh", ['ک'] = "k", ['ك'] = "k", ['گ'] = "g", ['ل'] = "l", ['م'] = "m",
        ['ن'] = "n", ['و'] = "u", ['ه'] = "h", ['ة'] = "e", ['ی'] = "i", ['ي'] = "i", ['ى'] = "i", ['ئ'] = "y",
        ['ء'] = "", ['ؤ'] = "o", ['\u200C'] = "", ['،'] = ",", ['؛'] = ";", ['؟'] = "?", ['«'] = "\"", ['»'] = "\"",
        ['۰'] = "0", ['۱'] = "1", ['۲'] = "2", ['۳'] = "3", ['۴'] = "4", ['۵'] = "5", ['۶'] = "6", ['۷'] = "7", ['۸'] = "8", ['۹'] = "9",
        ['٠'] = "0", ['١'] = "1", ['٢'] = "2", ['٣'] = "3", ['٤'] = "4", ['٥'] = "5", ['٦'] = "6", ['٧'] = "7", ['٨'] = "8", ['٩'] = "9",
    };

    /// <summary>True when <paramref name="text"/> holds a letter of the Arabic script (Persian).</summary>
    public static bool HasPersian(string text) => text.Any(IsArabicScript);

    /// <summary>Latin transliteration of <paramref name="text"/>; each word capitalised; other characters kept.</summary>
    public static string Transliterate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var result = new StringBuilder(text.Length * 2);
        var capital = false;
        for (var i = 0; i < text.Length; i++)
        {
            var letter = text[i];
            if (!Table.TryGetValue(letter, out var latin))
            {
                // Harakat (short-vowel marks) and tatweel carry no letter of their own.
                if (letter is (>= '\u064B' and <= '\u0652') or '\u0640')
                {
                    continue;
                }

                result.Append(letter);
                continue;
            }

            var atStart = i == 0 || !IsArabicScript(text[i - 1]) || text[i - 1] == '\u200C';
            var atEnd = i == text.Length - 1 || !IsArabicScript(text[i + 1]);
            latin = letter switch
            {
                'و' when atStart || Previous(text, i) is 'ا' or 'آ' => "v",
                'ی' or 'ي' when atStart || Previous(text, i) is 'ا' or 'آ' or 'و' => "y",
                'ه' when atEnd && !atStart => "e",
                'ع' when atStart => "a",
                _ => latin,
            };
            // A word starts with a capital, also when its first letter (ain, hamza) is not written.
            capital |= atStart;
            if (capital && latin.Length > 0)
            {
                latin = char.ToUpperInvariant(latin[0]) + latin[1..];
                capital = false;
            }

            result.Append(latin);
        }

        return result.ToString();
    }

    /// <summary>
    /// The name as <paramref name="model"/> shows it: transliterated when the radio shows no Persian (and any
    /// other non-ASCII character replaced by '?'), spaces replaced when the file format asks for it, cut to the
    /// radio's length. Each change is added to <paramref name="warnings"/>, naming <paramref name="what"/>.
    /// </summary>
    public static string Fit(string name, RadioModel model, string what, ICollection<string> warnings, char? spaceReplacement = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(warnings);
        var fitted = name.Trim();
        if (!model.ShowsPersian && fitted.Any(c => c > '~' || c < ' '))
        {
            fitted = new string([.. Transliterate(fitted).Select(c => c is >= ' ' and <= '~' ? c : '?')]);
            warnings.Add($"{what}: '{name}' is written '{fitted}' (Persian→Latin, {model.DisplayName} shows only ASCII)");
        }

        if (spaceReplacement is { } replacement && fitted.Contains(' ', StringComparison.Ordinal))
        {
            fitted = fitted.Replace(' ', replacement);
        }

        var elements = new StringInfo(fitted);
        if (elements.LengthInTextElements > model.NameLength)
        {
            var cut = elements.SubstringByTextElements(0, model.NameLength).TrimEnd(' ', '_');
            warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{what}: '{fitted}' is cut to '{cut}' ({model.DisplayName} shows {model.NameLength} characters)"));
            fitted = cut;
        }

        return fitted.Length == 0 ? "-" : fitted;
    }

    /// <summary>Makes <paramref name="name"/> unique among <paramref name="taken"/> by ending it in ~2, ~3, … within the radio's length.</summary>
    public static string Unique(string name, ISet<string> taken, int length, string what, ICollection<string> warnings)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(warnings);
        var unique = name;
        for (var n = 2; !taken.Add(unique); n++)
        {
            var suffix = string.Create(CultureInfo.InvariantCulture, $"~{n}");
            unique = name[..Math.Min(name.Length, length - suffix.Length)] + suffix;
        }

        if (unique != name)
        {
            warnings.Add($"{what}: '{name}' is already taken on this radio; written '{unique}'");
        }

        return unique;
    }

    private static char Previous(string text, int index) => index > 0 ? text[index - 1] : '\0';

    private static bool IsArabicScript(char c) => c is (>= '\u0600' and <= '\u06FF') or '\u200C';
}
