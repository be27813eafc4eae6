build/cc-native/lenet train --data data/mnist --arch paper-maxpool --passes 10 --seed 1  --model build/ablation/maxpool-seed1.model --log figures/data/ablation/maxpool-seed1.csv
