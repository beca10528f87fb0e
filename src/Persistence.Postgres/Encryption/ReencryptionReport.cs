namespace ClinicCluster.Persistence.Postgres.Encryption;

/// <summary>What a rotation pass did; <see cref="RowsChangedMeanwhile"/> rows need another pass.</summary>
public sealed class ReencryptionReport
{
    public int Rows { get; set; }

    public int Values { get; set; }

    public int RowsRewritten { get; set; }

    /// <summary>Ciphertexts rewritten: under another KEK, or unbound (<c>phi1</c>).</summary>
    public int ValuesReencrypted { get; set; }

    /// <summary>Plaintext values (written before encryption existed) encrypted.</summary>
    public int PlaintextEncrypted { get; set; }

    /// <summary>Ciphertexts that do not open for the record and field they sit in (altered, copied or swapped).</summary>
    public int IntegrityFaults { get; set; }

    public int RowsChangedMeanwhile { get; set; }

    /// <summary>
    /// Counts one row's conditional update: rewritten with its values, or changed by someone else
    /// since it was read (its version no longer matched), to be taken by the next pass.
    /// </summary>
    public void CountUpdate(int rowsUpdated, int reencrypted, int encrypted)
    {
        if (rowsUpdated == 1)
        {
            RowsRewritten++;
            ValuesReencrypted += reencrypted;
            PlaintextEncrypted += encrypted;
        }
        else
        {
            RowsChangedMeanwhile++;
        }
    }
}
